/*
 * pam_race DIR SERVICE USER N < TOKEN: N processes authenticate USER with the
 * same token on DIR/SERVICE at once (pam_start_confdir, no pam_wrapper: it
 * cannot start 32 processes at the same moment). Prints "accepted=A refused=R
 * other=O" (other: any code but PAM_SUCCESS and PAM_AUTH_ERR).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pamtest.h"

int main(int argc, char **argv)
{
	char token[20000];
	int gate[2], n, counts[3] = { 0 };

	if (argc != 5 || (n = atoi(argv[4])) < 1 || fgets(token, sizeof(token), stdin) == NULL) {
		fprintf(stderr, "usage: pam_race DIR SERVICE USER N < TOKEN\n");
		return 2;
	}
	token[strcspn(token, "\n")] = '\0';
	service_dir = argv[1];
	if (pipe(gate) != 0)
		return 2;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 2;
		if (pid == 0) {
			char c;
			int rc;

			close(gate[1]);
			(void)read(gate[0], &c, 1);	/* all start when the gate closes */
			rc = authenticate(argv[2], argv[3], CONV_TOKEN, token, NULL);
			_exit(rc == PAM_SUCCESS ? 0 : rc == PAM_AUTH_ERR ? 1 : 2);
		}
	}
	close(gate[0]);
	close(gate[1]);
	for (int i = 0; i < n; i++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 2)
			counts[2]++;
		else
			counts[WEXITSTATUS(status)]++;
	}
	printf("accepted=%d refused=%d other=%d\n", counts[0], counts[1], counts[2]);
	return 0;
}
