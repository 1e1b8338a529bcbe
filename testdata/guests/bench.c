/* bench: handlers for benchmarks.
 *
 *   /hostcalls?n=N   makes N cheap host calls (WASI sched_yield) and answers
 *                    with N
 *   /sha256          SHA-256 of 64 KiB, computed in the guest: a compute-
 *                    bound handler with loops and few calls
 *   /chatty          answers 100 mg_printf calls (900 body bytes)
 *   /single          answers the same bytes with one mg_write
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

__attribute__((import_module("wasi_snapshot_preview1"), import_name("sched_yield")))
int wasi_sched_yield(void);

static int
hostcalls_handler(struct mg_connection *conn, void *cbdata)
{
	const char *qs = mg_get_request_info(conn)->query_string;
	char n_text[16];
	int n = 0, i;

	(void)cbdata;
	if (qs && mg_get_var(qs, strlen(qs), "n", n_text, sizeof(n_text)) > 0) {
		n = atoi(n_text);
	}
	for (i = 0; i < n; i++) {
		wasi_sched_yield();
	}
	mg_printf(conn, "%d", n);
	return 200;
}

/* ---- SHA-256 (FIPS 180-4), written for this benchmark ---- */

static const uint32_t k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
sha256_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int i;

	for (i = 0; i < 16; i++) {
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	}
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

/* sha256 of len bytes, len a multiple of 64 (padding handled below). */
static void
sha256(const unsigned char *data, size_t len, unsigned char out[32])
{
	uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	unsigned char last[64] = {0x80};
	uint64_t bits = (uint64_t)len * 8;
	size_t i;

	for (i = 0; i + 64 <= len; i += 64) {
		sha256_block(h, data + i);
	}
	for (i = 0; i < 8; i++) {
		last[63 - i] = (unsigned char)(bits >> (8 * i));
	}
	sha256_block(h, last);
	for (i = 0; i < 32; i++) {
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
	}
}

static unsigned char input[64 * 1024];

static int
sha256_handler(struct mg_connection *conn, void *cbdata)
{
	unsigned char digest[32];
	size_t i;

	(void)cbdata;
	for (i = 0; i < sizeof(input); i++) {
		input[i] = (unsigned char)(i * 31 + 7);
	}
	sha256(input, sizeof(input), digest);
	/* A head, so that native CivetWeb (the load benchmark) answers HTTP. */
	mg_send_http_ok(conn, "text/plain", 2 * sizeof(digest));
	for (i = 0; i < sizeof(digest); i++) {
		mg_printf(conn, "%02x", digest[i]);
	}
	return 200;
}

static int
chatty_handler(struct mg_connection *conn, void *cbdata)
{
	int i;

	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Length: 900\r\n\r\n");
	for (i = 0; i < 100; i++) {
		mg_printf(conn, "line %03d\n", i);
	}
	return 200;
}

static int
single_handler(struct mg_connection *conn, void *cbdata)
{
	static char body[1000 + 64];
	int i, n;

	(void)cbdata;
	n = snprintf(body, sizeof(body), "HTTP/1.1 200 OK\r\nContent-Length: 900\r\n\r\n");
	for (i = 0; i < 100; i++) {
		n += snprintf(body + n, sizeof(body) - (size_t)n, "line %03d\n", i);
	}
	mg_write(conn, body, (size_t)n);
	return 200;
}

/* Answers the number of request headers: the cost of mg_get_request_info
 * (one host call that marshals every header into guest memory). */
static int
headers_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "%d", mg_get_request_info(conn)->num_headers);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/hostcalls", hostcalls_handler, NULL);
	mg_set_request_handler(ctx, "/sha256", sha256_handler, NULL);
	mg_set_request_handler(ctx, "/chatty", chatty_handler, NULL);
	mg_set_request_handler(ctx, "/single", single_handler, NULL);
	mg_set_request_handler(ctx, "/headers", headers_handler, NULL);
	return 0;
}
