/* header: mg_get_header looks request headers up by name,
 * case-insensitively; a missing one is NULL, a repeated one gives its first
 * value.
 *
 *   /header   looks up a fixed list of names, in several spellings
 */

#include "civetweb.h"
#include "text.h"

static const char *const names[] = {
    "Host", "host", "HOST", "X-Custom", "x-custom", "X-CUSTOM", "X-Repeated",
    "x-lower", "X-Lower", "Content-Length", "content-length", "Transfer-Encoding",
    "Content-Type", "Cookie", "Connection", "X-Empty", "X-Spaces", "X-Missing",
    "", "X-Custo", "X-Custom-Longer", "Expect",
};

static int
header_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	size_t i;

	(void)cbdata;
	t.len = 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = mg_get_header(conn, names[i]);
		add(&t, "%s -> %s%s%s\n", names[i], v ? "[" : "", v ? v : "NULL", v ? "]" : "");
	}
	send_text(conn, "text/plain", &t);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/header", header_handler, NULL);
	return 0;
}
