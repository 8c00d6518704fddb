"""Prints about 20 MB, then exits with an error: the gate keeps the output in a file and quotes its end."""

import sys

line = "x" * 199
for _ in range(100_000):
    print(line)
print("the last words of the program", file=sys.stderr)
sys.stderr.flush()
sys.stdout.flush()
import os  # noqa: E402

os._exit(3)
