"""From a path to an article: the text to parse and where it came from."""
