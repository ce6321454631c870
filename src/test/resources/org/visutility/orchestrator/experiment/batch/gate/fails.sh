#!/bin/sh
# An evaluator that cannot score anything.
echo "cannot open the evaluation data" >&2
exit 1
