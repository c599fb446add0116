/*
 * vp_fault.h - named fault-injection points for tests.
 *
 * In builds with VP_FAULT_HOOKS (test builds), vp_fault("name") is true when
 * the environment variable VP_FAULT lists that name: "a,b" fires a and b on
 * every hit, "a@3" fires only on the third hit of a. Without VP_FAULT_HOOKS
 * vp_fault() is a constant false and the hooks compile away.
 *
 * Points in use are listed in docs/testing.md.
 */
#ifndef VP_FAULT_H
#define VP_FAULT_H
#include <stdbool.h>

#ifdef VP_FAULT_HOOKS
bool vp_fault(const char *name);
/* Replaces this process's points by spec (the VP_FAULT syntax; NULL or ""
 * for none), hit counts starting again: for tests that drive faults
 * in-process, step by step. */
void vp_fault_set(const char *spec);
#else
#define vp_fault(name) ((void)(name), false)
#endif

#endif
