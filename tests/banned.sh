#!/bin/sh
# Fails if project C code calls a banned libc function (see docs/style.md):
# unbounded copies and formatting, non-thread-safe time and tokenising, and
# atoi's silent failures. Comments and string literals are not code, so a
# call must look like `name(` outside them; we strip both crudely but safely.
root=${1:-.}
banned='sprintf|vsprintf|strcpy|strcat|strncpy|strncat|strtok|gets|atoi|atol|atoll|gmtime|localtime|asctime|ctime'
status=0
files=$(find "$root/app" "$root/sync" "$root/tests" -name '*.c' -o -name '*.h' 2>/dev/null | grep -v '/build')
for f in $files; do
    # drop // comments, /* */ comments on one line, and "strings"
    hits=$(sed -e 's://.*$::' -e 's:/\*.*\*/::g' -e 's/"\([^"\\]\|\\.\)*"/""/g' "$f" |
           grep -nE "(^|[^A-Za-z0-9_])($banned)[[:space:]]*\(" || true)
    if [ -n "$hits" ]; then
        echo "$f: banned function:"
        echo "$hits"
        status=1
    fi
done
[ $status -eq 0 ] && echo "no banned functions in $(echo "$files" | wc -w) files"
exit $status
