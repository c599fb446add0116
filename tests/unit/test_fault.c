/* Run with VP_FAULT="always,third@3" (set in tests/unit/CMakeLists.txt). */
#include "vp_core.h"
#include "vp_test.h"

static void test_fault_points_fire_as_configured(void)
{
    CHECK(vp_fault("always"));
    CHECK(vp_fault("always"));
    CHECK(!vp_fault("third"));
    CHECK(!vp_fault("third"));
    CHECK(vp_fault("third"));
    CHECK(!vp_fault("third"));
    CHECK(!vp_fault("never"));
}

int main(void)
{
    VP_TEST(test_fault_points_fire_as_configured);
    return vp_test_done();
}
