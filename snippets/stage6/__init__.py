"""Stage 6: specialise (documents and images as input, typed data out)."""
