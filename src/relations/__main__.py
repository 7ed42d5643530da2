from relations.cli import main

main()
