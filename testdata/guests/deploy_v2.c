/* deploy_v2: deploy.c's routes as version "v2". */
#define DEPLOY_VERSION "v2"
#include "deploy.c"
