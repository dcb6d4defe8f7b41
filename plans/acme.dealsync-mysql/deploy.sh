#!/bin/sh
# The sample app's deploy hook: b24plan runs it as an argv (no shell) from the plan's folder.
# A real one would build and ship the app; this one only says what it would do.
echo "deploying acme.dealsync $1"
