/* text.h: a handler's reply assembled as text with printf-style calls, then
 * sent as the whole response with its Content-Length.
 *
 * Shared by the handler files in this directory, which include it as
 * "text.h": both the native build and the wasm build find it next to the
 * including file. Its functions are static, so each handler file stays one
 * self-contained translation unit; a file that includes it uses both. */

#ifndef COMPAT_TEXT_H
#define COMPAT_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "civetweb.h"

/* A reply under construction; declare it static (it is large) and set len
 * to 0 before each reply. */
struct text {
	char buf[65536];
	size_t len;
};

/* add appends formatted text to t; what does not fit is cut off. */
static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0) {
		t->len += (size_t)n;
		if (t->len >= sizeof(t->buf)) {
			t->len = sizeof(t->buf) - 1; /* truncated */
		}
	}
}

/* send_text sends t as a 200 response of the given type. */
static void
send_text(struct mg_connection *conn, const char *mime_type, const struct text *t)
{
	mg_send_http_ok(conn, mime_type, (long long)t->len);
	mg_write(conn, t->buf, t->len);
}

#endif
