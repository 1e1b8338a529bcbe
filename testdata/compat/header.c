/* header: mg_get_header looks request headers up by name,
 * case-insensitively; a missing one is NULL, a repeated one gives its first
 * value.
 *
 *   /header   looks up a fixed list of names, in several spellings
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static const char *const names[] = {
    "Host", "host", "HOST", "X-Custom", "x-custom", "X-CUSTOM", "X-Repeated",
    "x-lower", "X-Lower", "Content-Length", "content-length", "Transfer-Encoding",
    "Content-Type", "Cookie", "Connection", "X-Empty", "X-Spaces", "X-Missing",
    "", "X-Custo", "X-Custom-Longer", "Expect",
};

static int
header_handler(struct mg_connection *conn, void *cbdata)
{
	char body[8192];
	size_t len = 0, i;

	(void)cbdata;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = mg_get_header(conn, names[i]);
		int n = snprintf(body + len, sizeof(body) - len, "%s -> %s%s%s\n", names[i],
		                 v ? "[" : "", v ? v : "NULL", v ? "]" : "");
		if (n > 0 && len + (size_t)n < sizeof(body)) {
			len += (size_t)n;
		}
	}
	mg_send_http_ok(conn, "text/plain", (long long)len);
	mg_write(conn, body, len);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/header", header_handler, NULL);
	return 0;
}
