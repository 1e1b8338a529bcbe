/* MD5 and base64, computed in the guest. guests/c/misc_test.go checks MD5
 * against libcivetweb and crypto/md5, and base64 against CivetWeb 1.16. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "civetweb.h"

/* ---- MD5 (RFC 1321) ------------------------------------------------------ */

struct md5 {
	uint32_t h[4];
	uint64_t len; /* bytes hashed so far */
	unsigned char block[64];
};

/* floor(abs(sin(i + 1)) * 2^32), from RFC 1321. */
static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Rotation amounts: four per round, repeated across its 16 steps. */
static const unsigned char md5_shift[16] = {
	7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21,
};

static uint32_t
rotl32(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n); /* n is never 0 here */
}

static void
md5_block(uint32_t h[4], const unsigned char *p)
{
	uint32_t m[16], a = h[0], b = h[1], c = h[2], d = h[3], f, t;
	unsigned i, g;

	for (i = 0; i < 16; i++) {
		m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		       (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	}
	for (i = 0; i < 64; i++) {
		switch (i / 16) {
		case 0:
			f = (b & c) | (~b & d);
			g = i;
			break;
		case 1:
			f = (d & b) | (~d & c);
			g = 5 * i + 1;
			break;
		case 2:
			f = b ^ c ^ d;
			g = 3 * i + 5;
			break;
		default:
			f = c ^ (b | ~d);
			g = 7 * i;
			break;
		}
		t = d;
		d = c;
		c = b;
		b += rotl32(a + f + md5_k[i] + m[g % 16], md5_shift[i / 16 * 4 + i % 4]);
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

static void
md5_update(struct md5 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t used = (size_t)(s->len % 64), take;

	s->len += n;
	while (n > 0) {
		take = 64 - used < n ? 64 - used : n;
		memcpy(s->block + used, p, take);
		used += take;
		p += take;
		n -= take;
		if (used == 64) {
			md5_block(s->h, s->block);
			used = 0;
		}
	}
}

/* Pads, and writes the digest as 32 lowercase hex digits and a NUL. */
static void
md5_hex(struct md5 *s, char out[33])
{
	static const unsigned char pad[64] = {0x80};
	static const char hex[] = "0123456789abcdef";
	uint64_t bits = s->len * 8;
	unsigned char len_le[8], byte;
	int i;

	for (i = 0; i < 8; i++) {
		len_le[i] = (unsigned char)(bits >> (8 * i));
	}
	/* 0x80 and zeros up to 56 bytes into a block, then the bit length. */
	md5_update(s, pad, 1 + (119 - (size_t)(s->len % 64)) % 64);
	md5_update(s, len_le, sizeof(len_le));
	for (i = 0; i < 16; i++) {
		byte = (unsigned char)(s->h[i / 4] >> (8 * (i % 4)));
		out[2 * i] = hex[byte >> 4];
		out[2 * i + 1] = hex[byte & 15];
	}
	out[32] = '\0';
}

char *
mg_md5(char buf[33], ...)
{
	struct md5 s = {{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}, 0, {0}};
	const char *p;
	va_list ap;

	/* CivetWeb would crash; in wasm the write would land at address 0. */
	if (buf == NULL) {
		return NULL;
	}
	va_start(ap, buf);
	while ((p = va_arg(ap, const char *)) != NULL) {
		md5_update(&s, p, strlen(p));
	}
	va_end(ap);
	md5_hex(&s, buf);
	return buf;
}

/* ---- base64 (CivetWeb 1.16) ---------------------------------------------- */

/* CivetWeb 1.16's results, odd ones included: -1 is success, and *dst_len
 * counts the terminating NUL. A NULL dst (which would crash CivetWeb) is
 * treated as a buffer of size 0. */
int
mg_base64_encode(const unsigned char *src,
                 size_t src_len,
                 char *dst,
                 size_t *dst_len)
{
	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t need = (src_len + 2) / 3 * 4 + 1, in, left, out = 0;
	uint32_t group;

	if (src == NULL && src_len > 0) {
		return 0; /* nothing sensible to encode or to measure */
	}
	if (dst == NULL || (dst_len != NULL && *dst_len < need)) {
		/* Too small: an empty string if possible, and the size needed. */
		if (dst != NULL && *dst_len > 0) {
			dst[0] = '\0';
		}
		if (dst_len != NULL) {
			*dst_len = need;
		}
		return 0;
	}
	for (in = 0; in < src_len; in += 3) {
		left = src_len - in;
		group = (uint32_t)src[in] << 16;
		if (left > 1) {
			group |= (uint32_t)src[in + 1] << 8;
		}
		if (left > 2) {
			group |= src[in + 2];
		}
		dst[out++] = digits[group >> 18];
		dst[out++] = digits[group >> 12 & 63];
		dst[out++] = left > 1 ? digits[group >> 6 & 63] : '=';
		dst[out++] = left > 2 ? digits[group & 63] : '=';
	}
	dst[out++] = '\0';
	if (dst_len != NULL) {
		*dst_len = out;
	}
	return -1;
}

enum { B64_PAD = 64, B64_BAD = 65 };

/* The value of src[i] as a base64 digit, B64_PAD for '=', B64_BAD for any
 * other byte and for positions past src_len. */
static unsigned
b64_value(const char *src, size_t src_len, size_t i)
{
	char c;

	if (i >= src_len) {
		return B64_BAD;
	}
	c = src[i];
	if (c >= 'A' && c <= 'Z') {
		return (unsigned)(c - 'A');
	}
	if (c >= 'a' && c <= 'z') {
		return (unsigned)(c - 'a' + 26);
	}
	if (c >= '0' && c <= '9') {
		return (unsigned)(c - '0' + 52);
	}
	switch (c) {
	case '+':
		return 62;
	case '/':
		return 63;
	case '=':
		return B64_PAD;
	default:
		return B64_BAD;
	}
}

/* Stores a decoded byte if it fits, and counts it either way. */
static void
b64_put(unsigned char *dst, size_t limit, size_t *used, unsigned byte)
{
	if (*used < limit) {
		dst[*used] = (unsigned char)byte;
	}
	(*used)++;
}

/* CivetWeb 1.16 decodes groups of four characters and returns:
 *   -1 on success, *dst_len = decoded bytes + 1 (a NUL is appended);
 *    0 if dst is too small: what fits is written, *dst_len = size needed;
 *    i > 0 (or 0!) the index of the first invalid character: *dst_len = 0,
 *      the groups before it stay decoded in dst.
 * A group must have all four characters (no unpadded input), '=' may not
 * be its first or second character, and a '=' third character ends the
 * group after one byte whatever the fourth is; decoding goes on with the
 * next group, so padding may also appear mid-string. */
int
mg_base64_decode(const char *src,
                 size_t src_len,
                 unsigned char *dst,
                 size_t *dst_len)
{
	size_t limit = (size_t)-1, used = 0, i;
	unsigned a, b, c, d;

	if (dst_len != NULL) {
		limit = *dst_len;
		*dst_len = 0;
	}
	if (dst == NULL) {
		limit = 0; /* measure only, where CivetWeb would crash */
	}
	if (src == NULL && src_len > 0) {
		return 0;
	}
	for (i = 0; i < src_len; i += 4) {
		if ((a = b64_value(src, src_len, i)) >= B64_PAD) {
			return (int)i;
		}
		if ((b = b64_value(src, src_len, i + 1)) >= B64_PAD) {
			return (int)(i + 1);
		}
		if ((c = b64_value(src, src_len, i + 2)) == B64_BAD) {
			return (int)(i + 2);
		}
		if ((d = b64_value(src, src_len, i + 3)) == B64_BAD) {
			return (int)(i + 3);
		}
		b64_put(dst, limit, &used, (a << 2 | b >> 4) & 0xff);
		if (c != B64_PAD) {
			b64_put(dst, limit, &used, (b << 4 | c >> 2) & 0xff);
			if (d != B64_PAD) {
				b64_put(dst, limit, &used, (c << 6 | d) & 0xff);
			}
		}
	}
	b64_put(dst, limit, &used, '\0');
	if (dst_len != NULL) {
		*dst_len = used;
	}
	return used > limit ? 0 : -1;
}
