/*
 * fake_ssh: stands in for ssh as the parent process of pam-jwt askpass, for
 * the relay check (askpass signs a DPoP proof only for its parent ssh's
 * destination). Linked as "ssh" (the name askpass recognises), it takes ssh's
 * command line. With -G first (askpass resolving the destination), it runs
 * the real ssh ($FAKE_SSH_REAL, default /usr/bin/ssh) with the same
 * arguments. Otherwise it plays a server's keyboard-interactive prompt: runs
 * $SSH_ASKPASS with $FAKE_SSH_PROMPT as its argument, as ssh does, and exits
 * with its status; askpass's answer goes to standard output.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *real = getenv("FAKE_SSH_REAL"), *askpass = getenv("SSH_ASKPASS"),
		   *prompt = getenv("FAKE_SSH_PROMPT");
	int status;
	pid_t pid;

	if (real == NULL || *real == '\0')
		real = "/usr/bin/ssh";
	if (argc > 1 && strcmp(argv[1], "-G") == 0) {
		argv[0] = (char *)real;
		execv(real, argv);
		perror(real);
		return 255;
	}
	if (askpass == NULL || prompt == NULL) {
		fputs("fake_ssh: set SSH_ASKPASS and FAKE_SSH_PROMPT\n", stderr);
		return 255;
	}
	pid = fork();
	if (pid < 0)
		return 255;
	if (pid == 0) {
		execl(askpass, askpass, prompt, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return 255;
	return WEXITSTATUS(status);
}
