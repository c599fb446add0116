#include "vp_core.h"
#include "vp_test.h"

/* Ids from one generator strictly increase even when the clock goes back. */
static void test_uuid7_increases_across_backwards_clock(void)
{
    struct vp_uuid7 gen = { 0, 0 };
    char prev[VP_UUID_LEN] = "", id[VP_UUID_LEN];
    int64_t t = 1763900000000;
    int64_t clock[] = { t, t, t + 1, t - 5000, t - 5000, t - 10, t + 2, t + 2, t - 86400000 };
    for (size_t i = 0; i < sizeof(clock) / sizeof(clock[0]); i++) {
        vp_uuid7_next(&gen, clock[i], id);
        CHECK(vp_uuid7_valid(id));
        if (prev[0])
            CHECK(strcmp(prev, id) < 0);
        memcpy(prev, id, sizeof(id));
    }
    /* the timestamp never went back either */
    CHECK(vp_uuid7_ms(id) >= t + 2);
}

/* A burst larger than the 12-bit counter borrows the next millisecond. */
static void test_uuid7_counter_overflow_moves_time_forward(void)
{
    struct vp_uuid7 gen = { 0, 0 };
    char prev[VP_UUID_LEN] = "", id[VP_UUID_LEN];
    int64_t t = 1763900000000;
    for (int i = 0; i < 10000; i++) {
        vp_uuid7_next(&gen, t, id);
        if (prev[0])
            CHECK(strcmp(prev, id) < 0);
        memcpy(prev, id, sizeof(id));
    }
    CHECK(vp_uuid7_ms(id) > t);
    CHECK(vp_uuid7_ms(id) < t + 10);
}

/* Persisted state continues the order after a "restart". */
static void test_uuid7_state_survives_restart(void)
{
    struct vp_uuid7 gen = { 0, 0 }, restored;
    char a[VP_UUID_LEN], b[VP_UUID_LEN];
    vp_uuid7_next(&gen, 2000000000000, a);
    restored = gen;                             /* what the store writes and reads back */
    vp_uuid7_next(&restored, 1000000000000, b); /* clock far behind after reboot */
    CHECK(strcmp(a, b) < 0);
}

static void test_uuid_format_and_version_bits(void)
{
    struct vp_uuid7 gen = { 0, 0 };
    char id[VP_UUID_LEN], v4[VP_UUID_LEN];
    vp_uuid7_next(&gen, 1763900000123, id);
    CHECK_INT_EQ(strlen(id), 36);
    CHECK_INT_EQ(id[14], '7');
    CHECK(strchr("89ab", id[19]) != NULL);
    CHECK_INT_EQ(vp_uuid7_ms(id), 1763900000123);
    vp_uuid4(v4);
    CHECK(vp_uuid_valid(v4));
    CHECK(!vp_uuid7_valid(v4));
    CHECK(!vp_uuid_valid("0190a0b0-0000-7000-8000-00000000000"));
    CHECK(!vp_uuid_valid("0190a0b0x0000-7000-8000-000000000000"));
    CHECK(!vp_uuid_valid("0190a0b0-0000-7000-8000-00000000000g"));
}

/* Many ids, all unique (sorted order == generation order implies it). */
static void test_uuid7_unique_under_load(void)
{
    struct vp_uuid7 gen = { 0, 0 };
    enum { N = 50000 };
    static char ids[N][VP_UUID_LEN];
    for (int i = 0; i < N; i++)
        vp_uuid7_next(&gen, 1763900000000 + i / 100 - (i % 7 == 0 ? 3 : 0), ids[i]);
    for (int i = 1; i < N; i++)
        CHECK(strcmp(ids[i - 1], ids[i]) < 0);
}

int main(void)
{
    VP_TEST(test_uuid7_increases_across_backwards_clock);
    VP_TEST(test_uuid7_counter_overflow_moves_time_forward);
    VP_TEST(test_uuid7_state_survives_restart);
    VP_TEST(test_uuid_format_and_version_bits);
    VP_TEST(test_uuid7_unique_under_load);
    return vp_test_done();
}
