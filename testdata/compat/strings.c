/* strings: the helpers that run inside the guest.
 *
 *   /strings/compare   mg_strcasecmp and mg_strncasecmp on fixed pairs
 *   /strings/codes     mg_get_response_code_text for -1 and 0 to 1000
 *   /strings/version   mg_version and CIVETWEB_VERSION
 */

#include <string.h>

#include "civetweb.h"
#include "text.h"

static const char *const pairs[][2] = {
    {"abc", "abc"}, {"abc", "ABC"}, {"abc", "abd"}, {"abd", "abc"}, {"abc", "ab"},
    {"ab", "abc"}, {"", ""}, {"", "a"}, {"a", ""}, {"Content-Length", "content-length"},
    {"[", "{"}, {"_", "a"}, {"Z", "a"}, {"\xe4", "\xc4"}, {"a\x80", "A\x81"},
};

static int
compare_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	size_t i, n;

	(void)cbdata;
	t.len = 0;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		add(&t, "pair %zu: strcasecmp %d", i, mg_strcasecmp(pairs[i][0], pairs[i][1]));
		for (n = 0; n <= 4; n++) {
			add(&t, " strncasecmp(%zu) %d", n, mg_strncasecmp(pairs[i][0], pairs[i][1], n));
		}
		add(&t, "\n");
	}
	send_text(conn, "text/plain", &t);
	return 200;
}

static int
codes_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	int code;

	(void)cbdata;
	t.len = 0;
	add(&t, "-1: [%s]\n", mg_get_response_code_text(conn, -1));
	for (code = 0; code <= 1000; code++) {
		add(&t, "%d: [%s]\n", code, mg_get_response_code_text(conn, code));
	}
	send_text(conn, "text/plain", &t);
	return 200;
}

static int
version_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;

	(void)cbdata;
	t.len = 0;
	add(&t, "mg_version: %s\nCIVETWEB_VERSION: %s\n", mg_version(), CIVETWEB_VERSION);
	send_text(conn, "text/plain", &t);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/strings/compare", compare_handler, NULL);
	mg_set_request_handler(ctx, "/strings/codes", codes_handler, NULL);
	mg_set_request_handler(ctx, "/strings/version", version_handler, NULL);
	return 0;
}
