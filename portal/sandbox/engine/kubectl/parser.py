"""Parse a kubectl command line the way kubectl's flag library does.

Flags may come before or after positional arguments, as `--flag=value`, `--flag value`,
`-n value`, `-nvalue` or `-n=value`; short boolean flags combine (`-Ap`). Each verb accepts
only its own flags, so `kubectl get pods -p` fails exactly as the real one does.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field


class KubectlError(Exception):
    """A command refused with kubectl's own message."""


@dataclass(frozen=True)
class Flag:
    name: str
    short: str = ""
    takes_value: bool = True
    integer: bool = False


GLOBAL = (Flag("namespace", "n"),)
LISTING = (
    Flag("selector", "l"),
    Flag("all-namespaces", "A", takes_value=False),
)
VERB_FLAGS: dict[str, tuple[Flag, ...]] = {
    "get": (
        *LISTING,
        Flag("output", "o"),
        Flag("field-selector"),
        Flag("show-labels", takes_value=False),
        Flag("no-headers", takes_value=False),
        Flag("watch", "w", takes_value=False),
        Flag("sort-by"),
    ),
    "describe": LISTING,
    "logs": (
        Flag("previous", "p", takes_value=False),
        Flag("tail", integer=True),
        Flag("container", "c"),
        Flag("follow", "f", takes_value=False),
        Flag("timestamps", takes_value=False),
        Flag("all-containers", takes_value=False),
    ),
    "top": LISTING,
    "rollout history": (Flag("revision", integer=True),),
    "rollout undo": (Flag("to-revision", integer=True),),
    "rollout status": (Flag("watch", "w", takes_value=False), Flag("timeout")),
    "rollout restart": (),
    "scale": (Flag("replicas", integer=True),),
    "set image": (),
}
VERBS = ("get", "describe", "logs", "top", "rollout", "scale", "set")
ROLLOUT_SUBS = ("history", "undo", "status", "restart")
NOT_EMULATED = (
    "delete", "edit", "apply", "exec", "patch", "create", "port-forward", "cp", "drain",
    "cordon", "uncordon", "label", "annotate", "explain", "api-resources", "config",
    "run", "expose", "autoscale", "debug", "attach", "auth", "events", "diff", "replace",
)  # fmt: skip


@dataclass(frozen=True)
class Command:
    verb: str
    args: tuple[str, ...]
    flags: dict[str, str] = field(default_factory=dict)

    def flag(self, name: str) -> str | None:
        return self.flags.get(name)

    def has(self, name: str) -> bool:
        value = self.flags.get(name)
        return value is not None and value != "false"

    def integer(self, name: str) -> int | None:
        value = self.flags.get(name)
        return int(value) if value is not None else None

    @property
    def namespace(self) -> str:
        return self.flags.get("namespace") or "default"

    @property
    def all_namespaces(self) -> bool:
        return self.has("all-namespaces")


SHELL_SYNTAX = (
    "error: pipes, redirection and other shell syntax (|, >, <, ;, &&, # comments) are "
    "not available in this terminal; run one kubectl command at a time and read its "
    "output here."
)


# A lesson's placeholder such as <pod> or <namespace>, copied without replacing it.
PLACEHOLDER = re.compile(r"<([A-Za-z][\w-]*)>")
WHERE_TO_LOOK = {
    "pod": "kubectl get pods -A",
    "deployment": "kubectl get deployments -A",
    "namespace": "the NAMESPACE column of kubectl get pods -A",
    "node": "kubectl get nodes",
    "service": "kubectl get services -A",
}


def _placeholder_message(line: str) -> str | None:
    """Say so when a copied command still holds a placeholder: a shell would read
    `<pod>` as a redirection and fail, which teaches nothing."""
    found = PLACEHOLDER.search(line)
    if found is None:
        return None
    name = found.group(1)
    hint = WHERE_TO_LOOK.get(name.lower())
    where = f" (see {hint})" if hint else ""
    return (
        f"error: <{name}> is a placeholder from the lesson: replace it, brackets "
        f"included, with a real {name} name{where}."
    )


def _shell_syntax(line: str) -> bool:
    """True when the line uses shell syntax outside quotes: a pipe, a redirection, a
    command separator or a comment."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|&;<>")
    lexer.commenters = ""
    lexer.whitespace_split = True
    tokens = list(lexer)
    if any(token and set(token) <= set("|&;<>") for token in tokens):
        return True
    return any(token.startswith("#") for token in shlex.split(line))


def _help_hint(verb: str) -> str:
    return f"See 'kubectl {verb} --help' for usage."


def parse(line: str) -> Command:
    """Parse `kubectl ...` into a Command or raise KubectlError with kubectl's message."""
    try:
        words = shlex.split(line)
    except ValueError as error:
        raise KubectlError(f"error: {error}") from None
    placeholder = _placeholder_message(line)
    if placeholder is not None:
        raise KubectlError(placeholder)
    if _shell_syntax(line):
        raise KubectlError(SHELL_SYNTAX)
    if words and words[0] == "kubectl":
        words = words[1:]
    namespace_flags: dict[str, str | None] = {"namespace": None}
    words = _pull_leading_globals(words, namespace_flags)
    if not words:
        raise KubectlError(
            "error: a command is required, for example: kubectl get pods"
        )
    verb = words[0]
    rest = words[1:]
    if verb in NOT_EMULATED:
        raise KubectlError(f'error: "kubectl {verb}" is not part of this sandbox')
    if verb not in VERBS:
        raise KubectlError(
            f'error: unknown command "{verb}" for "kubectl"\n'
            "Run 'kubectl --help' for usage."
        )
    if verb in ("rollout", "set"):
        subs = ROLLOUT_SUBS if verb == "rollout" else ("image",)
        if not rest or rest[0].startswith("-"):
            raise KubectlError(
                f"error: a {verb} subcommand is required: {', '.join(subs)}"
            )
        if rest[0] not in subs:
            raise KubectlError(
                f'error: unknown command "{rest[0]}" for "kubectl {verb}"\n'
                f"Run 'kubectl {verb} --help' for usage."
            )
        verb, rest = f"{verb} {rest[0]}", rest[1:]
    flags, args = _parse_flags(verb, rest, (*GLOBAL, *VERB_FLAGS[verb]))
    if namespace_flags["namespace"] and "namespace" not in flags:
        flags["namespace"] = namespace_flags["namespace"]
    return Command(verb, tuple(args), flags)


def _pull_leading_globals(words: list[str], found: dict[str, str | None]) -> list[str]:
    """Take `-n shop` written before the verb (`kubectl -n shop get pods`)."""
    if words and words[0] in ("-n", "--namespace") and len(words) > 1:
        found["namespace"] = words[1]
        return words[2:]
    if words and words[0].startswith("--namespace="):
        found["namespace"] = words[0].split("=", 1)[1]
        return words[1:]
    return words


def _parse_flags(
    verb: str, words: list[str], known: tuple[Flag, ...]
) -> tuple[dict[str, str], list[str]]:
    by_name = {f.name: f for f in known}
    by_short = {f.short: f for f in known if f.short}
    flags: dict[str, str] = {}
    args: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word == "--":
            args.extend(words[i:])
            break
        if word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            spec = by_name.get(name)
            if spec is None:
                raise KubectlError(f"error: unknown flag: --{name}\n{_help_hint(verb)}")
            if spec.takes_value and not eq:
                if i >= len(words):
                    raise KubectlError(f"error: flag needs an argument: --{name}")
                value, i = words[i], i + 1
            flags[name] = _check(
                spec, value if eq or spec.takes_value else "true", word
            )
        elif word.startswith("-") and len(word) > 1:
            letters = word[1:]
            while letters:
                letter, letters = letters[0], letters[1:]
                spec = by_short.get(letter)
                if spec is None:
                    raise KubectlError(
                        f"error: unknown shorthand flag: '{letter}' in {word}\n"
                        f"{_help_hint(verb)}"
                    )
                if not spec.takes_value:
                    flags[spec.name] = "true"
                    continue
                value = letters.removeprefix("=")
                if not letters:
                    if i >= len(words):
                        raise KubectlError(
                            f"error: flag needs an argument: '{letter}' in {word}"
                        )
                    value, i = words[i], i + 1
                flags[spec.name] = _check(spec, value, f"-{letter}")
                letters = ""
        else:
            args.append(word)
    return flags, args


def _check(spec: Flag, value: str, shown: str) -> str:
    if spec.integer:
        try:
            int(value)
        except ValueError:
            raise KubectlError(
                f'error: invalid argument "{value}" for "{shown.split("=")[0]}" flag: '
                f'strconv.ParseInt: parsing "{value}": invalid syntax'
            ) from None
    return value
