/* digest: mg_check_digest_access_authentication and
 * mg_send_digest_access_authentication_request.
 *
 *   /digest/check[?realm=R][&file=F]
 *       checks the request's credentials for realm R (NULL without the
 *       parameter) against <document_root>/passwords (or
 *       <document_root>/F): authorized requests get a 200 saying so;
 *       unauthorized ones get the 401 challenge for the same realm; an
 *       error is reported in a 200 body with the value returned. The
 *       challenge's return value is reported with mg_cry
 *       ("compat-observe: ...").
 *   /digest/challenge[?realm=R]
 *       sends the challenge without checking anything.
 *
 * document_root is the fixture directory authroot/ (native CivetWeb's
 * document_root option; civetbox's granted document root, named ".").
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"
#include "text.h"

/* query_var returns the query parameter name in buf, or NULL if absent. */
static const char *
query_var(const struct mg_request_info *ri, const char *name, char *buf, size_t size)
{
	const char *qs = ri->query_string;

	if (qs == NULL || mg_get_var(qs, strlen(qs), name, buf, size) < 0) {
		return NULL;
	}
	return buf;
}

static int
challenge(struct mg_connection *conn, const char *realm)
{
	int rc = mg_send_digest_access_authentication_request(conn, realm);

	mg_cry(conn, "compat-observe: mg_send_digest_access_authentication_request returned %d", rc);
	return 401;
}

static int
check_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const struct mg_context *ctx = mg_get_context(conn);
	char realm_buf[256], file_buf[256], path[1024];
	const char *realm = query_var(ri, "realm", realm_buf, sizeof(realm_buf));
	const char *file = query_var(ri, "file", file_buf, sizeof(file_buf));
	int rc;

	(void)cbdata;
	snprintf(path, sizeof(path), "%s/%s", mg_get_option(ctx, "document_root"),
	         file ? file : "passwords");
	rc = mg_check_digest_access_authentication(conn, realm, path);
	if (rc == 0) {
		return challenge(conn, realm);
	}
	t.len = 0;
	add(&t, "mg_check_digest_access_authentication returned %d\n", rc);
	send_text(conn, "text/plain", &t);
	return 200;
}

static int
challenge_handler(struct mg_connection *conn, void *cbdata)
{
	char realm_buf[256];

	(void)cbdata;
	return challenge(conn, query_var(mg_get_request_info(conn), "realm", realm_buf, sizeof(realm_buf)));
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/digest/check", check_handler, NULL);
	mg_set_request_handler(ctx, "/digest/challenge", challenge_handler, NULL);
	return 0;
}
