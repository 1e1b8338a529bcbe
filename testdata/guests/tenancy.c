/* tenancy: routes for the multi-tenant tests in server/tenancy_test.go,
 * completing hostile.c (which the hostile tenant also serves).
 *
 *   /ok                       200 "ok"
 *   /stdout                   writes 1 GiB to stdout in 64 KiB writes, then
 *                             answers "wrote <bytes>"
 *   /stream                   streams chunks until mg_send_chunk fails
 *                             (the client left), then returns
 *   /spin?<n>                 n million loop iterations, then 200 "spun"
 *   /canary/write?<hex>       stores the 32-byte canary (64 hex digits) in
 *                             static data, a small and a large heap block
 *                             and a stack frame, then answers 200 "written"
 *   /canary/scan?<hex>        grows memory to 4 MiB, scans all of it for the
 *                             canary and answers "found" or "absent"
 *
 * The scanner never holds the canary itself in memory, only its bitwise
 * complement, so it cannot find its own copy: only one a writer left. (Its
 * first 8 bytes are in a local the compiler keeps in a wasm local, not in
 * linear memory.)
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

#define CANARY_LEN 32

static int
ok_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_ok(conn, "text/plain", 2);
	mg_write(conn, "ok", 2);
	return 200;
}

static char chunk[64 << 10];

static int
stdout_handler(struct mg_connection *conn, void *cbdata)
{
	long long total = 0;

	(void)cbdata;
	memset(chunk, 'x', sizeof(chunk));
	chunk[sizeof(chunk) - 1] = '\n';
	while (total < (1LL << 30)) {
		total += (long long)fwrite(chunk, 1, sizeof(chunk), stdout);
	}
	fflush(stdout);
	mg_printf(conn, "wrote %lld", total);
	return 200;
}

static int
stream_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	memset(chunk, 'y', sizeof(chunk));
	mg_send_http_ok(conn, "text/plain", -1);
	while (mg_send_chunk(conn, chunk, sizeof(chunk)) > 0) {
	}
	return 200;
}

static int
spin_handler(struct mg_connection *conn, void *cbdata)
{
	const char *q = mg_get_request_info(conn)->query_string;
	volatile unsigned spins = 0;
	long long n = q ? atoll(q) * 1000000LL : 0;

	(void)cbdata;
	for (long long i = 0; i < n; i++) {
		spins++;
	}
	mg_send_http_ok(conn, "text/plain", 4);
	mg_write(conn, "spun", 4);
	return 200;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	return -1;
}

/* Decodes the query's 64 hex digits into out, each byte XORed with mask. */
static int
parse_canary(struct mg_connection *conn, unsigned char *out, unsigned char mask)
{
	const char *q = mg_get_request_info(conn)->query_string;

	if (q == NULL || strlen(q) != 2 * CANARY_LEN) {
		return -1;
	}
	for (int i = 0; i < CANARY_LEN; i++) {
		int hi = hexval(q[2 * i]), lo = hexval(q[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			return -1;
		}
		out[i] = (unsigned char)((hi << 4 | lo) ^ mask);
	}
	return 0;
}

/* Where the writer leaves the canary: static data and the heap (the blocks
 * are never freed, and the volatile pointers keep them alive). */
static unsigned char static_canary[CANARY_LEN] __attribute__((aligned(8)));
static unsigned char *volatile small_block;
static unsigned char *volatile large_block;

#define LARGE (256 << 10)

static int
canary_write_handler(struct mg_connection *conn, void *cbdata)
{
	volatile unsigned char frame[CANARY_LEN] __attribute__((aligned(8)));

	(void)cbdata;
	if (parse_canary(conn, static_canary, 0) != 0) {
		mg_send_http_error(conn, 400, "want 64 hex digits");
		return 400;
	}
	small_block = malloc(CANARY_LEN);
	large_block = malloc(LARGE);
	if (small_block == NULL || large_block == NULL) {
		mg_send_http_error(conn, 500, "out of memory");
		return 500;
	}
	memcpy(small_block, static_canary, CANARY_LEN);
	memcpy(large_block + LARGE - CANARY_LEN, static_canary, CANARY_LEN);
	for (int i = 0; i < CANARY_LEN; i++) {
		frame[i] = static_canary[i];
	}
	mg_send_http_ok(conn, "text/plain", 7);
	mg_write(conn, "written", 7);
	return 200;
}

/* 4 MiB: more than a writer's instance uses, less than the 8 MiB above
 * which wazero stops recycling memories. */
#define SCAN_PAGES 64

/* Address 0, through a volatile so the compiler cannot treat the scan as a
 * null dereference. */
static volatile unsigned long memory_base = 0;

static int
canary_scan_handler(struct mg_connection *conn, void *cbdata)
{
	unsigned char inverted[CANARY_LEN];
	const volatile unsigned char *mem = (const volatile unsigned char *)memory_base;
	unsigned long size;
	unsigned long long first;
	int found = 0;

	(void)cbdata;
	if (parse_canary(conn, inverted, 0xff) != 0) {
		mg_send_http_error(conn, 400, "want 64 hex digits");
		return 400;
	}
	/* Grow first to SCAN_PAGES (once: pooled instances keep their memory),
	 * so the scan covers pages a recycled memory might bring beyond the
	 * module's initial size. */
	if (__builtin_wasm_memory_size(0) < SCAN_PAGES) {
		__builtin_wasm_memory_grow(0, SCAN_PAGES - __builtin_wasm_memory_size(0));
	}
	size = __builtin_wasm_memory_size(0) * 65536UL;
	/* Word by word: every copy the writer makes is 8-byte aligned, and a
	 * leaked page keeps its offsets. */
	first = 0;
	for (int i = 7; i >= 0; i--) {
		first = first << 8 | (unsigned char)(inverted[i] ^ 0xff);
	}
	for (unsigned long p = 0; p + CANARY_LEN <= size && !found; p += 8) {
		int i = 8;
		if (*(const volatile unsigned long long *)(mem + p) != first) {
			continue;
		}
		while (i < CANARY_LEN && mem[p + i] == (unsigned char)(inverted[i] ^ 0xff)) {
			i++;
		}
		found = i == CANARY_LEN;
	}
	mg_send_http_ok(conn, "text/plain", found ? 5 : 6);
	mg_write(conn, found ? "found" : "absent", found ? 5 : 6);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/ok", ok_handler, NULL);
	mg_set_request_handler(ctx, "/stdout", stdout_handler, NULL);
	mg_set_request_handler(ctx, "/stream", stream_handler, NULL);
	mg_set_request_handler(ctx, "/spin", spin_handler, NULL);
	mg_set_request_handler(ctx, "/canary/write", canary_write_handler, NULL);
	mg_set_request_handler(ctx, "/canary/scan", canary_scan_handler, NULL);
	return 0;
}
