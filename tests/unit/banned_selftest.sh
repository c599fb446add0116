#!/bin/sh
# The banned-function check must catch a call and ignore comments and strings.
check=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/app" "$dir/sync" "$dir/tests"
printf 'void f(char *d){ /* strcpy(d, s) */ const char *t = "sprintf(x)"; (void)t; }\n' > "$dir/app/clean.c"
"$check" "$dir" >/dev/null || { echo "FAIL: comment or string flagged"; exit 1; }
printf 'void g(char *d, const char *s){ strcpy(d, s); }\n' > "$dir/sync/bad.c"
"$check" "$dir" >/dev/null && { echo "FAIL: strcpy call not flagged"; exit 1; }
rm "$dir/sync/bad.c"
printf 'int h(const char *s){ return atoi (s); }\n' > "$dir/tests/bad2.c"
"$check" "$dir" >/dev/null && { echo "FAIL: atoi call not flagged"; exit 1; }
echo "banned-function check catches calls and ignores comments and strings"
