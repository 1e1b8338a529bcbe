/* split: mg_split_form_urlencoded splits form data in place into decoded
 * name/value pairs.
 *
 *   /split/body[/<n>]   splits the request body into at most n fields
 *                       (default 32), after asking for the field count
 *   /split/query        the same for a copy of the query string
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civetweb.h"
#include "text.h"

static void
split(struct text *t, char *data, unsigned max_fields)
{
	struct mg_header fields[32];
	int count, n, i;

	add(t, "data: %s\n", data);
	count = mg_split_form_urlencoded(data, NULL, 0);
	add(t, "field count: %d\n", count);
	n = mg_split_form_urlencoded(data, fields, max_fields);
	add(t, "split into at most %u: %d\n", max_fields, n);
	for (i = 0; i < n; i++) {
		add(t, "field %d: [%s] = %s%s%s\n", i, fields[i].name ? fields[i].name : "NULL",
		    fields[i].value ? "[" : "", fields[i].value ? fields[i].value : "NULL",
		    fields[i].value ? "]" : "");
	}
	add(t, "NULL data: %d\n", mg_split_form_urlencoded(NULL, fields, 1));
	add(t, "no fields: %d\n", mg_split_form_urlencoded(data, NULL, 1));
}

static int
body_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	static char body[8192];
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *rest = ri->local_uri + strlen("/split/body");
	unsigned max_fields = 32;
	size_t len = 0;
	int n;

	(void)cbdata;
	if (*rest == '/') {
		max_fields = (unsigned)atoi(rest + 1);
		if (max_fields > 32) {
			max_fields = 32;
		}
	}
	while (len < sizeof(body) - 1 && (n = mg_read(conn, body + len, sizeof(body) - 1 - len)) > 0) {
		len += (size_t)n;
	}
	body[len] = 0;
	t.len = 0;
	split(&t, body, max_fields);
	send_text(conn, "text/plain", &t);
	return 200;
}

static int
query_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	static char copy[8192];
	const struct mg_request_info *ri = mg_get_request_info(conn);

	(void)cbdata;
	snprintf(copy, sizeof(copy), "%s", ri->query_string ? ri->query_string : "");
	t.len = 0;
	split(&t, copy, 32);
	send_text(conn, "text/plain", &t);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/split/body", body_handler, NULL);
	mg_set_request_handler(ctx, "/split/query", query_handler, NULL);
	return 0;
}
