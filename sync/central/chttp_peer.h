/*
 * chttp_peer.h - who the client is (internal to the HTTP server): its
 * address as text and as a throttle key, the last hop of X-Forwarded-For
 * when the connection comes from the trusted proxy (serve --trusted-proxy;
 * never trusted from anyone else), and per-address connection counts for
 * when the server cannot leave them to libmicrohttpd (behind a proxy every
 * connection comes from the proxy's address).
 *
 * Keys: an IPv4 address as text; an IPv6 address by its /64 (one site has a
 * whole /64); an IPv4-mapped IPv6 address as the IPv4 address it maps.
 */
#ifndef CHTTP_PEER_H
#define CHTTP_PEER_H
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define CPEER_TEXT 64

struct MHD_Connection;

/* An address: v4 (family AF_INET) or v6. */
struct cpeer_addr {
    int family;
    struct in_addr v4;
    struct in6_addr v6;
};

/* Parses a literal IPv4 or IPv6 address (no port, no brackets, no name). */
bool cpeer_parse(const char *text, struct cpeer_addr *out);
/* A socket address; false for another family. */
bool cpeer_from_sockaddr(const struct sockaddr *sa, struct cpeer_addr *out);
bool cpeer_equal(const struct cpeer_addr *a, const struct cpeer_addr *b);
/* The address as text and as a throttle key ("unknown" for both when a is NULL). */
void cpeer_text(const struct cpeer_addr *a, char ip[CPEER_TEXT], char key[CPEER_TEXT]);

/* The last hop of the request's X-Forwarded-For (the last address of its
 * last header line): the address the proxy saw. False if there is none or
 * it is not a literal address. */
bool cpeer_forwarded(struct MHD_Connection *conn, struct cpeer_addr *out);

/* Connections per address, for when the server counts them itself. */
struct cpeer_count;
struct cpeer_count *cpeer_count_new(unsigned limit);
void cpeer_count_free(struct cpeer_count *c);
/* Counts one more connection of key; false (nothing counted) when key has
 * limit already or the table is full. */
bool cpeer_count_take(struct cpeer_count *c, const char *key);
/* One connection of key has gone. */
void cpeer_count_give(struct cpeer_count *c, const char *key);

#endif
