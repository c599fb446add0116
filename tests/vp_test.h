/*
 * vp_test.h - the tiny test harness every C test in tests/ uses.
 *
 * A test is a void function; CHECK* macros print both sides on failure and
 * return from the test (so later lines don't run on a broken state). The
 * assertions are never compiled out. main() runs the tests it lists:
 *
 *     static void test_level_defaults(void) { CHECK_INT_EQ(level_for(code), 3); }
 *     int main(void) { VP_TEST(test_level_defaults); return vp_test_done(); }
 *
 * Set VP_TEST_ONLY=name to run one test of a file.
 */
#ifndef VP_TEST_H
#define VP_TEST_H
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int vp_test_failures;
extern int vp_test_count;
extern const char *vp_test_current;

#define VP_TEST_FAIL_(...)                                                                         \
    do {                                                                                           \
        fprintf(stderr, "FAIL %s (%s:%d): ", vp_test_current, __FILE__, __LINE__);                 \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        vp_test_failures++;                                                                        \
        return;                                                                                    \
    } while (0)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            VP_TEST_FAIL_("expected %s", #cond);                                                   \
    } while (0)

#define CHECK_INT_EQ(a, b)                                                                         \
    do {                                                                                           \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                      \
        if (va_ != vb_)                                                                            \
            VP_TEST_FAIL_("%s == %s: got %lld, want %lld", #a, #b, va_, vb_);                      \
    } while (0)

#define CHECK_STR_EQ(a, b)                                                                         \
    do {                                                                                           \
        const char *sa_ = (a), *sb_ = (b);                                                         \
        if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0)                                                 \
            VP_TEST_FAIL_("%s == %s: got \"%s\", want \"%s\"", #a, #b, sa_ ? sa_ : "(null)",       \
                          sb_ ? sb_ : "(null)");                                                   \
    } while (0)

/* A vp_result that must be VP_OK. */
#define CHECK_OK(expr)                                                                             \
    do {                                                                                           \
        int r_ = (int)(expr);                                                                      \
        if (r_ != 0)                                                                               \
            VP_TEST_FAIL_("%s: got result %d (%s), want ok", #expr, r_,                            \
                          vp_result_name((vp_result)r_));                                          \
    } while (0)

/* A vp_result that must be a given error. */
#define CHECK_ERR(expr, want)                                                                      \
    do {                                                                                           \
        int r_ = (int)(expr), w_ = (int)(want);                                                    \
        if (r_ != w_)                                                                              \
            VP_TEST_FAIL_("%s: got result %s, want %s", #expr, vp_result_name((vp_result)r_),      \
                          vp_result_name((vp_result)w_));                                          \
    } while (0)

void vp_test_run(const char *name, void (*fn)(void));
int vp_test_done(void);
/* A fresh empty directory under $TMPDIR for this test; caller frees. */
char *vp_test_tempdir(void);
/* rm -rf of a test directory. */
void vp_test_rmtree(const char *dir);

#define VP_TEST(fn) vp_test_run(#fn, fn)

#endif
