/* cookies: mg_get_cookie on the request's Cookie header (mg_get_header
 * gives the first one if there are several).
 *
 *   /cookies   looks up a fixed list of names, with a big, a 4-byte and a
 *              NULL buffer
 */

#include "civetweb.h"
#include "text.h"

static const char *const names[] = {
    "session", "Session", "a", "b", "quoted", "empty", "spaced", "last", "missing",
    "sess", "ion",
};

/* Not looked up: "" (CivetWeb 1.15's mg_get_cookie loops forever on an
 * empty name). */

static int
cookies_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	const char *cookie = mg_get_header(conn, "Cookie");
	char value[256], tiny[4];
	size_t i;
	int rc;

	(void)cbdata;
	t.len = 0;
	add(&t, "Cookie: %s\n", cookie ? cookie : "NULL");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		rc = mg_get_cookie(cookie, names[i], value, sizeof(value));
		add(&t, "%s = %d [%s]", names[i], rc, rc >= 0 ? value : "");
		rc = mg_get_cookie(cookie, names[i], tiny, sizeof(tiny));
		add(&t, ", 4-byte buffer %d", rc);
		rc = mg_get_cookie(cookie, names[i], NULL, 0);
		add(&t, ", NULL buffer %d\n", rc);
	}
	send_text(conn, "text/plain", &t);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/cookies", cookies_handler, NULL);
	return 0;
}
