/* cookies: mg_get_cookie on the request's Cookie header (mg_get_header
 * gives the first one if there are several).
 *
 *   /cookies   looks up a fixed list of names, with a big, a 4-byte and a
 *              NULL buffer
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static const char *const names[] = {
    "session", "Session", "a", "b", "quoted", "empty", "spaced", "last", "missing",
    "sess", "ion",
};

/* Not looked up: "" (CivetWeb 1.15's mg_get_cookie loops forever on an
 * empty name). */

static int
cookies_handler(struct mg_connection *conn, void *cbdata)
{
	const char *cookie = mg_get_header(conn, "Cookie");
	char body[8192], value[256], tiny[4];
	size_t len = 0, i;
	int n, rc;

	(void)cbdata;
	n = snprintf(body, sizeof(body), "Cookie: %s\n", cookie ? cookie : "NULL");
	len = (size_t)n;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		rc = mg_get_cookie(cookie, names[i], value, sizeof(value));
		n = snprintf(body + len, sizeof(body) - len, "%s = %d [%s]", names[i], rc, rc >= 0 ? value : "");
		len += (size_t)n;
		rc = mg_get_cookie(cookie, names[i], tiny, sizeof(tiny));
		n = snprintf(body + len, sizeof(body) - len, ", 4-byte buffer %d", rc);
		len += (size_t)n;
		rc = mg_get_cookie(cookie, names[i], NULL, 0);
		n = snprintf(body + len, sizeof(body) - len, ", NULL buffer %d\n", rc);
		len += (size_t)n;
	}
	mg_send_http_ok(conn, "text/plain", (long long)len);
	mg_write(conn, body, len);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/cookies", cookies_handler, NULL);
	return 0;
}
