"""Tell command lines from prose and repair the gaps copying left in them.

A line is a command when its first word, after an optional `$ ` prompt, `sudo` or
`NAME=value` assignments, is a program a lesson would run (kubectl, helm, curl, ...) spelled
exactly as typed in a shell, or a path to one (`./rollback.sh`). Prose starts with a
capitalised word or an ordinary English word, so "Fast triage in Kubernetes incident" is not
a command. kubectl commands are repaired by its grammar; gaps in other programs get
`<value>` and are reported as guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.curriculum.importer.kubectl import repair_kubectl
from portal.curriculum.importer.shell import Edits, is_flag, segments, tokenize

# fmt: off
KNOWN_PROGRAMS = frozenset({
    "kubectl", "helm", "kustomize", "minikube", "kind", "k9s", "stern", "istioctl",
    "linkerd", "argocd", "flux", "crictl", "ctr", "etcdctl", "docker", "podman",
    "docker-compose", "nerdctl", "curl", "wget", "http", "grpcurl", "ping",
    "traceroute", "tracepath", "mtr", "dig", "nslookup", "host", "nc", "ncat", "telnet",
    "ssh", "scp", "openssl", "tcpdump", "ss", "netstat", "ip", "ifconfig", "iptables",
    "nft", "systemctl", "journalctl", "service", "dmesg", "uptime", "top", "htop", "ps",
    "kill", "pkill", "pgrep", "free", "df", "du", "vmstat", "iostat", "mpstat", "sar",
    "lsof", "strace", "ltrace", "perf", "ulimit", "sysctl", "mount", "umount", "grep",
    "egrep", "fgrep", "rg", "awk", "sed", "cut", "sort", "uniq", "wc", "head", "tail",
    "less", "more", "cat", "tee", "xargs", "find", "ls", "cd", "cp", "mv", "rm",
    "mkdir", "chmod", "chown", "touch", "tar", "gzip", "zcat", "base64", "jq", "yq",
    "date", "watch", "echo", "printf", "export", "env", "git", "make", "terraform",
    "ansible", "ansible-playbook", "aws", "gcloud", "az", "eksctl", "doctl", "vault",
    "consul", "nomad", "promtool", "amtool", "logcli", "psql", "mysql", "redis-cli",
    "mongosh", "mongo", "sqlite3", "python", "python3", "pip", "node", "npm", "go",
    "java", "bash", "sh", "zsh",
})
# fmt: on
_PREFIXES = frozenset({"sudo", "time", "nohup"})
# Programs that cannot run without an argument, so a trailing gap after them lost one.
# fmt: off
_NEEDS_ARGUMENT = frozenset({
    "grep", "egrep", "fgrep", "rg", "curl", "wget", "http", "grpcurl", "ping",
    "traceroute", "dig", "nslookup", "host", "ssh", "telnet", "nc", "kill", "helm",
    "git",
})
# fmt: on
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=\S*")
_PROMPT = re.compile(r"^\s*\$\s+")


@dataclass(frozen=True)
class RepairedCommand:
    command: str
    fixes: tuple[str, ...] = ()
    guesses: tuple[str, ...] = ()
    prompt_removed: bool = False


def is_command(line: str) -> bool:
    """Tell whether a line of the Hands-on Commands section is a shell command."""
    words = _PROMPT.sub("", line).split()
    index = _program_index(words, 0, len(words))
    if index is None:
        return False
    program = words[index]
    return program in KNOWN_PROGRAMS or program.startswith(("./", "/", "~/"))


def repair_command(raw: str) -> RepairedCommand:
    """Return the command with its lost placeholders put back, and what was put where."""
    prompt = _PROMPT.match(raw)
    body = raw[prompt.end() :] if prompt else raw
    words, gaps = tokenize(body)
    edits = Edits(words, gaps)

    for first, end in segments(words):
        program = _program_index(words, first, end)
        if program is None:
            continue
        if words[program] == "kubectl":
            stop = repair_kubectl(edits, program, end)
            if stop + 1 < end:
                _repair_generic(edits, stop + 1, end)
        else:
            _repair_generic(edits, program, end)

    command = edits.render() if edits.changed else body.strip()
    return RepairedCommand(
        command, tuple(edits.fixes), tuple(edits.guesses), prompt is not None
    )


def _program_index(words: list[str], first: int, end: int) -> int | None:
    index = first
    while index < end and (
        words[index] in _PREFIXES or _ASSIGNMENT.fullmatch(words[index])
    ):
        index += 1
    return index if index < end else None


def _repair_generic(edits: Edits, first: int, end: int) -> None:
    """Put `<value>` into the gaps of a program whose grammar is not known here."""
    words = edits.words
    for index in range(first + 1, end):
        name, equals, value = words[index].partition("=")
        if is_flag(name) and equals and not value:
            edits.replace(
                index, f"{name}=<value>", f"as the value of {name}", guess=True
            )

    has_argument = any(not is_flag(words[i]) for i in range(first + 1, end))
    for slot in range(first + 1, end + 1):
        lost = edits.gaps[slot]
        if lost <= 0:
            continue
        previous = words[slot - 1]
        if edits.is_end(slot):
            needs_one = words[first] in _NEEDS_ARGUMENT and not has_argument
            if not (is_flag(previous) or needs_one):
                continue
            lost = 1
        for _ in range(lost):
            edits.insert(slot, "<value>", f"after {previous}", guess=True)
