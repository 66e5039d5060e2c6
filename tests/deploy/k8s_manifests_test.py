#!/usr/bin/python3
"""Renders the Kubernetes overlays with `kubectl kustomize` and checks the objects they produce.

Every container has gRPC probes on its health port, requests and limits, a non-root read-only security
context and a grace period that covers the drain; every Service selects pods that exist on ports they
expose; the gateway's peer addresses name the headless Services of the parser, validator and aggregator on
their ports; only the gateway reaches the workers; every GONGKAI_* setting is a flag the container's binary
accepts; the rule configuration parses; prod runs mutual TLS and authenticates callers, dev is plaintext.

Usage: k8s_manifests_test.py KUBECTL DEPLOY_DIR BINARY...   (the four gongkai-* binaries and gongkai)
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

kubectl, deploy_dir = sys.argv[1:3]
binaries_by_name = {os.path.basename(b): b for b in sys.argv[3:]}
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def render(overlay):
    out = subprocess.run([kubectl, "kustomize", os.path.join(deploy_dir, "k8s", "overlays", overlay)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"kubectl kustomize {overlay} failed:\n{out.stderr}")
    return [o for o in yaml.safe_load_all(out.stdout) if o]


def quantity(q):
    """CPU or memory quantity as a float (cores or bytes)."""
    q = str(q)
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 1e3, "M": 1e6, "G": 1e9}
    for suffix, factor in sorted(units.items(), key=lambda kv: -len(kv[0])):
        if q.endswith(suffix):
            return float(q[: -len(suffix)]) * factor
    return float(q)


_flags = {}


def flags_of(binary):
    """The flags `binary --helpfull` lists."""
    if binary not in _flags:
        out = subprocess.run([binaries_by_name[binary], "--helpfull"], capture_output=True, text=True)
        _flags[binary] = set(re.findall(r"^\s+--([a-z_0-9]+)", out.stdout + out.stderr, re.M))
    return _flags[binary]


def selects(selector, labels):
    if "matchLabels" in selector or "matchExpressions" in selector:
        ok = all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())
        for e in selector.get("matchExpressions", []):
            if e["operator"] == "In":
                ok = ok and labels.get(e["key"]) in e["values"]
        return ok
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_overlay(name, objects, want_tls):
    by_kind = {}
    for o in objects:
        by_kind.setdefault(o["kind"], {})[o["metadata"]["name"]] = o
    workloads = {**by_kind.get("Deployment", {}), **by_kind.get("StatefulSet", {})}
    configmaps = by_kind.get("ConfigMap", {})
    services = by_kind.get("Service", {})
    check(len(workloads) == 4, f"{name}: expected 4 workloads, found {sorted(workloads)}")
    images = set()
    envs = {}      # workload -> {GONGKAI_*: value}
    binaries = {}  # workload -> binary
    for wname, w in workloads.items():
        where = f"{name}: {w['kind']} {wname}"
        pod = w["spec"]["template"]["spec"]
        labels = w["spec"]["template"]["metadata"]["labels"]
        check(selects(w["spec"]["selector"], labels), f"{where}: its selector does not match its own pods")
        check(pod.get("securityContext", {}).get("runAsNonRoot") is True, f"{where}: runAsNonRoot is not set")
        check(pod.get("securityContext", {}).get("runAsUser", 0) != 0, f"{where}: runs as uid 0")
        check(pod.get("serviceAccountName") in by_kind.get("ServiceAccount", {}), f"{where}: no ServiceAccount")
        check(len(pod["containers"]) == 1, f"{where}: expected one container")
        c = pod["containers"][0]
        images.add(c["image"])
        binaries[wname] = c["command"][0]
        check(c["command"][0] in ("gongkai-parser", "gongkai-validator", "gongkai-aggregator", "gongkai-gateway"),
              f"{where}: unknown command {c['command']}")
        env = {}
        for source in c.get("envFrom", []):
            ref = source["configMapRef"]["name"]
            if check(ref in configmaps, f"{where}: envFrom names a missing ConfigMap {ref}"):
                env.update(configmaps[ref].get("data", {}))
        env.update({e["name"]: e.get("value", "") for e in c.get("env", [])})
        envs[wname] = env
        for key in env:
            if key.startswith("GONGKAI_"):
                flag = key[len("GONGKAI_"):].lower()
                check(flag in flags_of(c["command"][0]), f"{where}: {key} is not a flag of {c['command'][0]}")
        ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
        health_port = int(env.get("GONGKAI_HEALTH_ADDRESS", ":0").rsplit(":", 1)[1])
        grpc_port = int(env.get("GONGKAI_ADDRESS", ":0").rsplit(":", 1)[1])
        check(env.get("GONGKAI_ADDRESS", "").startswith("0.0.0.0:"), f"{where}: does not listen on all interfaces")
        check(ports.get("grpc") == grpc_port, f"{where}: port 'grpc' {ports.get('grpc')} is not GONGKAI_ADDRESS's {grpc_port}")
        check(ports.get("health") == health_port, f"{where}: port 'health' is not GONGKAI_HEALTH_ADDRESS's")
        for probe in ("readinessProbe", "livenessProbe"):
            p = c.get(probe, {})
            check(p.get("grpc", {}).get("port") == health_port,
                  f"{where}: {probe} is not a gRPC probe on the health port {health_port}")
        res = c.get("resources", {})
        for kind in ("cpu", "memory"):
            req, lim = res.get("requests", {}).get(kind), res.get("limits", {}).get(kind)
            if check(req is not None and lim is not None, f"{where}: no {kind} request or limit"):
                check(quantity(req) <= quantity(lim), f"{where}: {kind} request {req} exceeds its limit {lim}")
        sc = c.get("securityContext", {})
        check(sc.get("allowPrivilegeEscalation") is False, f"{where}: allowPrivilegeEscalation is not false")
        check(sc.get("readOnlyRootFilesystem") is True, f"{where}: the root file system is writable")
        check("ALL" in sc.get("capabilities", {}).get("drop", []), f"{where}: capabilities are not dropped")
        drain = float(env.get("GONGKAI_DRAIN_SECONDS", 2)) + float(env.get("GONGKAI_SHUTDOWN_GRACE_SECONDS", 10))
        check(pod.get("terminationGracePeriodSeconds", 30) >= drain + 5,
              f"{where}: terminationGracePeriodSeconds does not cover drain + grace ({drain} s)")
        check(int(env.get("GONGKAI_MAX_CONNECTION_AGE_MS", 0)) > 0, f"{where}: no maximum connection age")
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        claims = {t["metadata"]["name"] for t in w["spec"].get("volumeClaimTemplates", [])}
        mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
        for m in c.get("volumeMounts", []):
            check(m["name"] in volumes or m["name"] in claims, f"{where}: mount {m['name']} has no volume")
        for v in volumes.values():
            if "configMap" in v:
                check(v["configMap"]["name"] in configmaps, f"{where}: volume {v['name']} names a missing ConfigMap")

        def mounted(path, what):
            hits = [(mp, n) for mp, n in mounts.items() if path.startswith(mp.rstrip("/") + "/")]
            check(hits, f"{where}: {what} {path} is not on a mounted volume")
            return hits[0] if hits else (None, None)

        if want_tls:
            for key in ("GONGKAI_TLS_CERT", "GONGKAI_TLS_KEY", "GONGKAI_TLS_CLIENT_CA"):
                if check(env.get(key), f"{where}: {key} is not set in the TLS overlay"):
                    mounted(env[key], key)
            check(env.get("GONGKAI_PLAINTEXT", "false") != "true", f"{where}: plaintext allowed in the TLS overlay")
        else:
            check(env.get("GONGKAI_PLAINTEXT") == "true" and not env.get("GONGKAI_TLS_CERT"),
                  f"{where}: the dev overlay is meant to be plaintext")
        if binaries[wname] == "gongkai-gateway":
            check(w["kind"] == "StatefulSet", f"{where}: the gateway's store needs a StatefulSet")
            mp, vol = mounted(env.get("GONGKAI_STORE", ""), "the job store")
            check(vol in claims, f"{where}: the job store is not on a PersistentVolumeClaim")
            if want_tls:
                for key in ("GONGKAI_TOKENS", "GONGKAI_PEER_TLS_CA", "GONGKAI_PEER_TLS_CERT", "GONGKAI_PEER_TLS_KEY"):
                    if check(env.get(key), f"{where}: {key} is not set in the TLS overlay"):
                        mounted(env[key], key)
        if binaries[wname] == "gongkai-validator" and check(env.get("GONGKAI_RULES"), f"{where}: no rules"):
            mp, vol = mounted(env["GONGKAI_RULES"], "the rule configuration")
            cm = configmaps.get(volumes.get(vol, {}).get("configMap", {}).get("name"), {})
            text = cm.get("data", {}).get(os.path.basename(env["GONGKAI_RULES"]))
            if check(text is not None, f"{where}: the rules ConfigMap lacks {os.path.basename(env['GONGKAI_RULES'])}"):
                with tempfile.NamedTemporaryFile("w", suffix=".textproto") as f:
                    f.write(text)
                    f.flush()
                    out = subprocess.run([binaries_by_name["gongkai"], "rules", "--rules", f.name],
                                         capture_output=True, text=True)
                    check(out.returncode == 0, f"{where}: the rule configuration does not parse: {out.stderr}")
    check(len(images) == 1, f"{name}: the workloads use different images {images}")

    def workloads_selected(selector):
        return [n for n, w in workloads.items() if selects(selector, w["spec"]["template"]["metadata"]["labels"])]

    for sname, s in services.items():
        where = f"{name}: Service {sname}"
        chosen = workloads_selected(s["spec"].get("selector", {}))
        if check(len(chosen) == 1, f"{where}: selects {chosen}, expected one workload"):
            c = workloads[chosen[0]]["spec"]["template"]["spec"]["containers"][0]
            names = {p.get("name") for p in c.get("ports", [])}
            numbers = {p["containerPort"] for p in c.get("ports", [])}
            for p in s["spec"]["ports"]:
                t = p.get("targetPort", p["port"])
                check(t in names or t in numbers, f"{where}: targetPort {t} is not a port of {chosen[0]}")

    # The gateway's peers: headless Services of the right workloads on the right ports.
    gateway = [n for n, b in binaries.items() if b == "gongkai-gateway"]
    if check(len(gateway) == 1, f"{name}: expected one gateway"):
        genv = envs[gateway[0]]
        for key, binary in (("GONGKAI_PARSER", "gongkai-parser"), ("GONGKAI_VALIDATOR", "gongkai-validator"),
                            ("GONGKAI_AGGREGATOR", "gongkai-aggregator")):
            m = re.fullmatch(r"dns:///([a-z0-9-]+):(\d+)", genv.get(key, ""))
            if not check(m, f"{name}: gateway {key}={genv.get(key)} is not dns:///SERVICE:PORT"):
                continue
            s = services.get(m.group(1))
            if not check(s is not None, f"{name}: gateway {key} names a missing Service {m.group(1)}"):
                continue
            check(s["spec"].get("clusterIP") == "None", f"{name}: Service {m.group(1)} is not headless")
            chosen = workloads_selected(s["spec"]["selector"])
            check([binaries[n] for n in chosen] == [binary], f"{name}: {key} reaches {chosen}, not {binary}")
            check(int(m.group(2)) in [p["port"] for p in s["spec"]["ports"]], f"{name}: {key} port not served")
            if chosen:
                check(envs[chosen[0]].get("GONGKAI_ADDRESS", "").endswith(":" + m.group(2)),
                      f"{name}: {key} port {m.group(2)} is not where {binary} listens")

    # Autoscalers and disruption budgets.
    for hname, h in by_kind.get("HorizontalPodAutoscaler", {}).items():
        t = h["spec"]["scaleTargetRef"]
        check(t["name"] in workloads and workloads[t["name"]]["kind"] == t["kind"], f"{name}: HPA {hname} targets nothing")
        check(h["spec"]["minReplicas"] <= h["spec"]["maxReplicas"], f"{name}: HPA {hname} min > max")
    scaled = {binaries.get(h["spec"]["scaleTargetRef"]["name"]) for h in by_kind.get("HorizontalPodAutoscaler", {}).values()}
    check({"gongkai-parser", "gongkai-validator"} <= scaled, f"{name}: parser and validator are not autoscaled")
    budgets = by_kind.get("PodDisruptionBudget", {})
    for w in workloads:
        check(any(w in workloads_selected(b["spec"]["selector"]) for b in budgets.values()),
              f"{name}: no PodDisruptionBudget covers {w}")

    # Only the gateway reaches the workers' gRPC ports.
    gateway_labels = workloads[gateway[0]]["spec"]["template"]["metadata"]["labels"] if gateway else {}
    for wname, b in binaries.items():
        if b == "gongkai-gateway":
            continue
        labels = workloads[wname]["spec"]["template"]["metadata"]["labels"]
        grpc_port = int(envs[wname]["GONGKAI_ADDRESS"].rsplit(":", 1)[1])
        policies = [p for p in by_kind.get("NetworkPolicy", {}).values() if selects(p["spec"]["podSelector"], labels)]
        check(policies, f"{name}: no NetworkPolicy isolates {wname}")
        for p in policies:
            for rule in p["spec"].get("ingress", []):
                rule_ports = {x.get("port") for x in rule.get("ports", [])}
                if rule_ports and grpc_port not in rule_ports:
                    continue
                sources = rule.get("from", [])
                check(sources and all("podSelector" in f and selects(f["podSelector"], gateway_labels)
                                      and "namespaceSelector" not in f for f in sources),
                      f"{name}: NetworkPolicy {p['metadata']['name']} lets others than the gateway reach {wname}:{grpc_port}")


check_overlay("dev", render("dev"), want_tls=False)
check_overlay("prod", render("prod"), want_tls=True)
if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("ok: dev and prod overlays render and pass every check")
