"""Put back the placeholders that copying removed from kubectl commands.

kubectl's grammar says what belongs in each gap: the value of `-n` is a namespace, the word
after `describe pod` is a pod, `deploy/` needs a deployment name. A gap that the grammar
cannot explain gets `<value>` and is reported as a guess for the author to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.curriculum.importer.shell import Edits, is_flag

# Placeholder word, then the names kubectl accepts for the type: singular and short names
# first, plural names after the bar.
_RESOURCE_TABLE = (
    ("pod", "pod po | pods"),
    ("service", "service svc | services"),
    ("deployment", "deployment deploy | deployments"),
    ("replicaset", "replicaset rs | replicasets"),
    ("statefulset", "statefulset sts | statefulsets"),
    ("daemonset", "daemonset ds | daemonsets"),
    ("configmap", "configmap cm | configmaps"),
    ("secret", "secret | secrets"),
    ("namespace", "namespace ns | namespaces"),
    ("node", "node no | nodes"),
    ("ingress", "ingress ing | ingresses"),
    ("job", "job | jobs"),
    ("cronjob", "cronjob cj | cronjobs"),
    ("pvc", "persistentvolumeclaim pvc | persistentvolumeclaims"),
    ("pv", "persistentvolume pv | persistentvolumes"),
    ("hpa", "horizontalpodautoscaler hpa | horizontalpodautoscalers"),
    ("serviceaccount", "serviceaccount sa | serviceaccounts"),
    ("endpoints", "ep | endpoints"),
    ("endpointslice", "endpointslice | endpointslices"),
    ("event", "event ev | events"),
    ("networkpolicy", "networkpolicy netpol | networkpolicies"),
    ("pdb", "poddisruptionbudget pdb | poddisruptionbudgets"),
    ("role", "role | roles"),
    ("rolebinding", "rolebinding | rolebindings"),
    ("clusterrole", "clusterrole | clusterroles"),
    ("clusterrolebinding", "clusterrolebinding | clusterrolebindings"),
    ("storageclass", "storageclass sc | storageclasses"),
    ("crd", "customresourcedefinition crd | customresourcedefinitions crds"),
    ("resourcequota", "resourcequota quota | resourcequotas"),
    ("limitrange", "limitrange limits | limitranges"),
    ("priorityclass", "priorityclass pc | priorityclasses"),
    ("lease", "lease | leases"),
)


def _resource_index() -> dict[str, str]:
    return {
        name: placeholder
        for placeholder, names in _RESOURCE_TABLE
        for name in names.replace("|", " ").split()
    }


RESOURCES = _resource_index()

# Options that take a value, and the placeholder for that value.
VALUE_FLAGS = {
    "-n": "namespace",
    "--namespace": "namespace",
    "-c": "container",
    "--container": "container",
    "-l": "selector",
    "--selector": "selector",
    "--field-selector": "selector",
    "-o": "format",
    "--output": "format",
    "-f": "file",
    "--filename": "file",
    "--context": "context",
    "--cluster": "cluster",
    "--user": "user",
    "--as": "user",
    "--kubeconfig": "kubeconfig",
    "-s": "server",
    "--server": "server",
    "--token": "token",
    "--since": "duration",
    "--since-time": "time",
    "--tail": "lines",
    "--sort-by": "field",
    "--replicas": "count",
    "--image": "image",
    "--to-revision": "revision",
    "--revision": "revision",
    "--timeout": "duration",
    "--for": "condition",
    "--port": "port",
    "--target-port": "port",
    "--type": "type",
    "--name": "name",
    "--from-literal": "key=value",
    "--from-file": "file",
    "--from-env-file": "file",
    "--from": "resource",
    "--grace-period": "seconds",
    "-L": "label",
    "--label-columns": "label",
    "--min": "count",
    "--max": "count",
    "--cpu-percent": "percent",
    "--schedule": "schedule",
    "--template": "template",
    "--target": "container",
    "--copy-to": "name",
    "--limits": "resources",
    "--requests": "resources",
    "--patch": "patch",
}

# Options known to take no value: a gap after them is not theirs.
# fmt: off
BOOLEAN_FLAGS = frozenset({
    "-A", "--all-namespaces", "-w", "--watch", "--watch-only", "--follow", "--previous",
    "--timestamps", "--all-containers", "--prefix", "-p", "-i", "-t", "-it", "-ti",
    "--stdin", "--tty", "-q", "--quiet", "--all", "--force", "--now", "--wait",
    "--show-labels", "--no-headers", "--ignore-daemonsets", "--delete-emptydir-data",
    "--delete-local-data", "--disable-eviction", "--recursive", "-R", "--record",
    "--overwrite", "--current", "--raw", "--show-kind", "--server-side", "--local",
    "--ignore-not-found", "--containers", "--dry-run", "--cascade",
})
# fmt: on

# Commands whose first argument is a resource type, optionally followed by names.
# fmt: off
_TYPED_VERBS = frozenset({
    "get", "describe", "delete", "edit", "label", "annotate", "patch", "scale",
    "expose", "autoscale", "wait", "taint", "top", "rollout", "set",
})
# fmt: on
# Commands (or subcommands) that act on one named object and fail without it.
# fmt: off
_NAME_REQUIRED = frozenset({
    "delete", "edit", "label", "annotate", "patch", "scale", "expose", "autoscale",
    "taint", "undo", "status", "pause", "resume", "image", "env", "resources",
})
# fmt: on
_SUBCOMMAND_VERBS = frozenset({"rollout", "set", "config", "create", "auth"})
_POD_VERBS = frozenset({"logs", "exec", "attach", "port-forward", "debug"})
_NODE_VERBS = frozenset({"cordon", "uncordon", "drain"})
_CONTEXT_SUBCOMMANDS = frozenset({"use-context", "delete-context", "rename-context"})
_SELECTOR_FLAGS = frozenset({"-l", "--selector", "--field-selector"})
_SELECTOR_TERM = re.compile(r"(?P<key>[^=!]+)(?P<op>==|!=|=)(?P<value>.*)")
_SELECTING_FLAGS = frozenset({"-l", "--selector", "--all", "-f", "--filename"})
# fmt: off
_SUBTYPES = frozenset({
    "generic", "tls", "docker-registry", "clusterip", "nodeport", "loadbalancer",
    "externalname",
})
# fmt: on


def resource_placeholder(word: str) -> str | None:
    """Return the placeholder for a resource type name (`svc` -> `service`)."""
    return RESOURCES.get(word.lower().split(".", 1)[0])


def _value_placeholder(flag: str, verb: str) -> str | None:
    if verb == "logs" and flag in ("-f", "-p"):
        return None
    if flag == "-p":
        return "patch" if verb == "patch" else None
    return VALUE_FLAGS.get(flag)


@dataclass
class _Command:
    """The parts of one kubectl invocation that matter for finding its gaps."""

    edits: Edits
    first: int
    stop: int
    verb: str = ""
    anchor: int = 0
    subcommand: str = ""
    arguments: tuple[int, ...] = ()
    flags: frozenset[str] = frozenset()

    def word(self, index: int) -> str:
        return self.edits.words[index]


def repair_kubectl(edits: Edits, first: int, end: int) -> int:
    """Repair the kubectl command at words[first:end]; return where `--` starts it."""
    words = edits.words
    stop = next((i for i in range(first + 1, end) if words[i] == "--"), end)
    command = _Command(edits, first, stop, anchor=first)

    positionals = _fill_flag_values(command)
    _read_positionals(command, positionals)
    _fill_slashes(command)
    _fill_arguments(command)
    _fill_leftover_gaps(command)
    return stop


def _fill_flag_values(command: _Command) -> list[int]:
    """Give every value-taking option its value; return the positional word indexes."""
    edits, words = command.edits, command.edits.words
    positionals: list[int] = []
    flags: set[str] = set()
    index = command.first + 1
    while index < command.stop:
        word = words[index]
        if not is_flag(word):
            positionals.append(index)
            command.verb = command.verb or word
            index += 1
            continue
        name, equals, value = word.partition("=")
        flags.add(name)
        placeholder = _value_placeholder(name, command.verb)
        index += 1
        if equals:
            if not value:
                edits.replace(
                    index - 1,
                    f"{name}=<{placeholder or 'value'}>",
                    f"as the value of {name}",
                    guess=placeholder is None,
                )
            elif name in _SELECTOR_FLAGS:
                _fill_selector(edits, index - 1, f"{name}=", value)
            continue
        if placeholder is None:
            continue
        has_value = (
            index < command.stop
            and edits.gaps[index] == 0
            and not is_flag(words[index])
        )
        if has_value:
            if name in _SELECTOR_FLAGS:
                _fill_selector(edits, index, "", words[index])
            index += 1
        else:
            edits.insert(index, f"<{placeholder}>", f"as the value of {name}")
    command.flags = frozenset(flags)
    return positionals


def _fill_selector(edits: Edits, index: int, prefix: str, selector: str) -> None:
    """Give `app=` in a selector the value it lost: `app=<app>`, as a guess.

    An empty value after `=` in a label or field selector is almost always a placeholder
    that copying removed; it is named after the last segment of its key
    (`spec.nodeName=` -> `spec.nodeName=<node>`).
    """
    quote = selector[0] if selector[:1] in ("'", '"') else ""
    if quote and (len(selector) < 2 or not selector.endswith(quote)):
        return
    inner = selector[1:-1] if quote else selector
    terms = inner.split(",")
    filled: list[str] = []
    for term in terms:
        match = _SELECTOR_TERM.fullmatch(term)
        if match is None or match["value"] or not match["key"]:
            filled.append(term)
            continue
        filled.append(f"{term}<{selector_placeholder(match['key'])}>")
    if filled == terms:
        return
    word = f"{prefix}{quote}{','.join(filled)}{quote}"
    edits.replace(
        index, word, f"as the lost value in the selector {selector}", guess=True
    )


def selector_placeholder(key: str) -> str:
    """Name a selector value after its key: `app` -> app, `spec.nodeName` -> node."""
    last = re.split(r"[./]", key.strip())[-1]
    if len(last) > 4 and last.endswith("Name"):
        last = last[:-4]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", last).lower()
    name = "-".join(re.findall(r"[a-z0-9]+", words))
    return name if name[:1].isalpha() else "value"


def _read_positionals(command: _Command, positionals: list[int]) -> None:
    if not positionals:
        return
    command.anchor = positionals[0]
    rest = positionals[1:]
    if command.verb in _SUBCOMMAND_VERBS and rest:
        command.anchor = rest[0]
        command.subcommand = command.word(rest[0])
        rest = rest[1:]
    command.arguments = tuple(rest)


def _fill_slashes(command: _Command) -> None:
    """Complete `deploy/` to `deploy/<deployment>`."""
    for index in command.arguments:
        word = command.word(index)
        kind, slash, name = word.partition("/")
        if not slash or name or not kind:
            continue
        placeholder = resource_placeholder(kind)
        command.edits.replace(
            index,
            f"{word}<{placeholder or 'value'}>",
            f"as the name after {word}",
            guess=placeholder is None,
        )


def _fill_arguments(command: _Command) -> None:
    verb, subcommand = command.verb, command.subcommand
    if verb in _TYPED_VERBS and (subcommand or verb not in _SUBCOMMAND_VERBS):
        _fill_typed(command)
        if verb == "set" and subcommand == "image":
            _fill_image_pairs(command)
    elif verb in _POD_VERBS:
        _fill_pod(command)
    elif verb in _NODE_VERBS:
        _fill_required(command, "node")
    elif verb == "config" and subcommand in _CONTEXT_SUBCOMMANDS:
        _fill_required(command, "context")
    elif verb == "run":
        _fill_required(command, "name")
    elif verb == "create" and subcommand:
        _fill_create(command)


def _fill_required(command: _Command, placeholder: str) -> None:
    """Insert the one argument a command cannot do without, into its gap if it has one."""
    if command.arguments:
        return
    slot = command.edits.first_gap(command.anchor + 1, command.stop)
    after = command.word(command.anchor)
    command.edits.insert(
        command.anchor + 1 if slot is None else slot,
        f"<{placeholder}>",
        f"as the {placeholder} that {after} needs",
    )


def _fill_typed(command: _Command) -> None:
    """Fill `get pod  -n` style commands: a resource type followed by a lost name."""
    edits, arguments = command.edits, command.arguments
    if not arguments:
        slot = edits.first_gap(command.anchor + 1, command.stop)
        if slot is not None and not edits.is_end(slot):
            after = command.word(command.anchor)
            edits.insert(slot, "<resource>", f"as the resource type after {after}")
        return

    type_index = arguments[0]
    type_word = command.word(type_index)
    placeholder = resource_placeholder(type_word)
    if placeholder is None or "/" in type_word or "," in type_word:
        return
    names = [i for i in arguments[1:] if "=" not in command.word(i)]
    if names:
        return

    slot = type_index + 1
    required = (command.subcommand or command.verb) in _NAME_REQUIRED and not (
        command.flags & _SELECTING_FLAGS
    )
    reason = f"as the name after {type_word}"
    if required or (edits.gaps[slot] > 0 and not edits.is_end(slot)):
        edits.insert(slot, f"<{placeholder}>", reason)
    elif edits.is_end(slot) and edits.gaps[slot] > 1:
        # A doubled space at the end of the line may be a lost name or just a sloppy
        # copy; a single one is only a trailing space (get, top and describe list
        # everything without a name), so only the doubled one earns a guess.
        edits.insert(
            slot, f"<{placeholder}>", f"{reason} (trailing spaces)", guess=True
        )


def _fill_image_pairs(command: _Command) -> None:
    """Complete `container=image` pairs of `set image` that lost one side."""
    for index in command.arguments[1:]:
        word = command.edits.replaced.get(index, command.word(index))
        container, equals, image = word.partition("=")
        if equals and not (container and image):
            command.edits.replace(
                index,
                f"{container or '<container>'}={image or '<image>'}",
                "as the container=image pair of set image",
            )


def _fill_pod(command: _Command) -> None:
    """Fill the pod of logs, exec, attach, port-forward and debug."""
    edits, arguments = command.edits, command.arguments
    first_is_pod = bool(arguments) and not (
        command.verb == "port-forward" and _is_port(command.word(arguments[0]))
    )
    if not first_is_pod and not (command.flags & {"-l", "--selector"}):
        last_slot = arguments[0] if arguments else command.stop
        slot = edits.first_gap(command.anchor + 1, last_slot)
        edits.insert(
            command.anchor + 1 if slot is None else slot,
            "<pod>",
            f"as the pod that {command.verb} needs",
        )
        return

    if command.verb == "logs" and len(arguments) == 1 and "-c" not in command.flags:
        slot = arguments[0] + 1
        if edits.gaps[slot] > 0 and not edits.is_end(slot):
            edits.insert(slot, "<container>", "as the container after the pod")


def _fill_create(command: _Command) -> None:
    arguments = list(command.arguments)
    if arguments and command.word(arguments[0]).lower() in _SUBTYPES:
        command.anchor = arguments.pop(0)
    if arguments:
        return
    placeholder = resource_placeholder(command.subcommand) or "name"
    command.arguments = ()
    _fill_required(command, placeholder)


def _fill_leftover_gaps(command: _Command) -> None:
    """Put `<value>` into every gap the grammar did not explain, as a guess."""
    edits, words = command.edits, command.edits.words
    for slot in range(command.first + 1, command.stop + 1):
        lost = edits.gaps[slot]
        if lost <= 0:
            continue
        previous = words[slot - 1]
        if edits.is_end(slot):
            if slot in edits.inserted or not _is_unknown_flag(previous):
                continue
            lost = 1
        for _ in range(lost):
            edits.insert(slot, "<value>", f"after {previous}", guess=True)


def _is_unknown_flag(word: str) -> bool:
    name = word.split("=")[0]
    return is_flag(word) and name not in BOOLEAN_FLAGS and name not in VALUE_FLAGS


def _is_port(word: str) -> bool:
    return all(part.isdigit() for part in word.split(":") if part) and word != ""
