/* vars: mg_get_var and mg_get_var2 on a query string or an
 * application/x-www-form-urlencoded body.
 *
 *   /vars/query   looks names up in the raw query string (NULL without '?')
 *   /vars/body    looks names up in the request body (up to 64 KiB)
 *
 * For each name: mg_get_var into a big and into a 4-byte buffer, and
 * mg_get_var2 for occurrences 0 to 3, with return values.
 */

#include <string.h>

#include "civetweb.h"
#include "text.h"

static const char *const names[] = {
    "name", "a", "aa", "A", "empty", "plus", "pct", "bad", "tag", "missing", "x y", "",
};

static void
describe(struct text *t, const char *data, size_t data_len)
{
	char value[1024], tiny[4];
	size_t i, occ;
	int rc;

	add(t, "data: %s (%zu bytes)\n", data ? data : "NULL", data_len);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		rc = mg_get_var(data, data_len, names[i], value, sizeof(value));
		add(t, "mg_get_var(%s) = %d [%s]\n", names[i], rc, rc >= 0 ? value : "");
		rc = mg_get_var(data, data_len, names[i], tiny, sizeof(tiny));
		add(t, "mg_get_var(%s, 4-byte buffer) = %d\n", names[i], rc);
		for (occ = 0; occ < 4; occ++) {
			rc = mg_get_var2(data, data_len, names[i], value, sizeof(value), occ);
			add(t, "mg_get_var2(%s, %zu) = %d [%s]\n", names[i], occ, rc, rc >= 0 ? value : "");
		}
	}
	rc = mg_get_var(data, data_len, "name", NULL, 0);
	add(t, "mg_get_var(name, NULL buffer) = %d\n", rc);
}

static int
query_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *qs = ri->query_string;

	(void)cbdata;
	t.len = 0;
	describe(&t, qs, qs ? strlen(qs) : 0);
	send_text(conn, "text/plain", &t);
	return 200;
}

static int
body_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	static char body[65536];
	size_t len = 0;
	int n;

	(void)cbdata;
	while (len < sizeof(body) - 1 && (n = mg_read(conn, body + len, sizeof(body) - 1 - len)) > 0) {
		len += (size_t)n;
	}
	body[len] = 0;
	t.len = 0;
	describe(&t, body, len);
	send_text(conn, "text/plain", &t);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/vars/query", query_handler, NULL);
	mg_set_request_handler(ctx, "/vars/body", body_handler, NULL);
	return 0;
}
