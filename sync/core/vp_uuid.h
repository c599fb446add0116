/*
 * vp_uuid.h - UUIDv7 record ids (RFC 9562, section 5.7).
 *
 * Layout: 48-bit Unix milliseconds | ver 7 | 12-bit counter (rand_a) |
 * variant 10 | 62 random bits. The counter makes ids made in the same
 * millisecond increase (RFC 9562 §6.2 method 1). When the wall clock goes
 * backwards the generator keeps using its last timestamp and counts on; when
 * the counter runs out it moves its timestamp one millisecond ahead. So ids
 * from one generator strictly increase, as text and as bytes.
 *
 * The generator's state is a plain struct the caller owns and persists
 * (the device store keeps it in the database, in the same transaction as the
 * record that used the id, so ids keep increasing across restarts).
 */
#ifndef VP_UUID_H
#define VP_UUID_H
#include <stdbool.h>
#include <stdint.h>

#define VP_UUID_LEN 37 /* 36 characters and a NUL */

struct vp_uuid7 {
    int64_t last_ms;  /* timestamp used for the previous id; 0 = none yet */
    uint16_t counter; /* 12-bit counter used for the previous id */
};

/* Makes the next id for wall-clock time now_ms into out (lower-case text). */
void vp_uuid7_next(struct vp_uuid7 *gen, int64_t now_ms, char out[VP_UUID_LEN]);

/* True if s is a canonical lower- or upper-case UUID of any version. */
bool vp_uuid_valid(const char *s);

/* True if s is a valid UUID with version 7 and the RFC variant. */
bool vp_uuid7_valid(const char *s);

/* The millisecond timestamp inside a UUIDv7, or -1 if s is not one. */
int64_t vp_uuid7_ms(const char *s);

/* A random (version 4) UUID, for things that must not reveal time. */
void vp_uuid4(char out[VP_UUID_LEN]);

#endif
