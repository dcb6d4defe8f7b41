#!/usr/bin/env python3
"""Prints the tables of scripts/bench/migrate_transactions OUT…: throughput against the one-shot
UPDATE (medians), transaction lengths (committed and rolled back, from the traces of builds with
scripts/bench/migrate_transactions.patch), how far each full batch was from its expected time, and
what made the transactions over 80 ms long."""
import collections
import glob
import re
import statistics
import sys


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def read(folders):
    times = collections.defaultdict(list)
    loads = []
    labels = []
    groups = collections.defaultdict(lambda: {"t": [], "rolled": [], "ratio": [], "cause": collections.Counter(), "stops": [], "runs": set()})
    for folder in folders:
        for line in open(folder + "/times.tsv"):
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 6:
                times[(parts[1], parts[2], parts[3])].append(float(parts[4]))
                if parts[3] != "oneshot" and parts[3] not in labels:
                    labels.append(parts[3])
                loads.append(float(parts[5]))
        for path in glob.glob(folder + "/traces/*.txt"):
            label, backend, portals, rows, run = path.rsplit("/", 1)[1][:-4].rsplit("-", 4)
            group = groups[(label, backend, f"{portals} × {int(rows):,}")]
            group["runs"].add((folder, run))
            for line in open(path):
                if line.startswith("R "):
                    group["rolled"].append(int(re.search(r"total=(\d+)", line)[1]) / 10)
                    continue
                if line.startswith("S "):
                    group["stops"].append(float(re.search(r"seconds=([-\d.e]+)", line)[1]) * 1000)
                    continue
                match = re.match(r"T w=\d+ total=(\d+) save=(\d+) commit=(\d+) \| (.*)", line.strip())
                if not match:
                    continue
                total, save, commit = (int(match[i]) / 10 for i in (1, 2, 3))
                batches = [
                    {"index": int(b[1]), "size": int(b[2]), "changed": int(b[3]), "seconds": int(b[5]) / 10, "expected": int(b[6]) / 10}
                    for b in re.findall(r"(\S+)#(\d+) n=(\d+) ch=(\d+) at=(\d+) s=(\d+) pred=(\d+)", match[4])
                ]
                group["t"].append(total)
                group["ratio"] += [b["seconds"] / b["expected"] for b in batches if b["changed"] >= b["size"] and b["expected"] > 0.5]
                if total > 80:
                    if save + commit > total / 2:
                        cause = "progress rows and COMMIT"
                    elif batches and batches[-1]["index"] == 1:
                        cause = "statement, a portal's first batch"
                    else:
                        cause = "statement, a later batch"
                    group["cause"][cause] += 1
    return times, loads, labels, groups


def main():
    times, loads, labels, groups = read(sys.argv[1:])
    print(f"load average during the runs: {min(loads):.1f}–{max(loads):.1f} (median {statistics.median(loads):.1f})\n")
    print("| backend | shape | one-shot | " + " | ".join(labels) + " | share of one-shot |")
    print("|---|---|---|" + "---|" * len(labels) + "---|")
    for shape, backend in sorted({(k[0], k[1]) for k in times}, key=lambda k: (k[0], k[1])):
        one = statistics.median(times[(shape, backend, "oneshot")])
        medians = [statistics.median(times[(shape, backend, label)]) if times[(shape, backend, label)] else None for label in labels]
        runs = len(times[(shape, backend, "oneshot")])
        print(f"| {backend} | {shape} ({runs} runs) | {one:.3f} s | " + " | ".join(f"{m:.3f} s" if m else "–" for m in medians) + " | "
              + " → ".join(f"{one / m:.0%}" if m else "–" for m in medians) + " |")
    print("\n| build | backend | shape | runs | transactions (rolled back) | median | 90th | 99th | longest | over 80 ms | over 100 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    rank = {label: index for index, label in enumerate(labels)}
    order = sorted(groups, key=lambda k: (k[2], k[1], rank.get(k[0], len(rank))))
    for key in order:
        group = groups[key]
        lengths = group["t"] + group["rolled"]
        rolled = f"{len(group['rolled'])}, longest {max(group['rolled']):.0f} ms" if group["rolled"] else "0"
        over = lambda limit: sum(t > limit for t in lengths)
        print(f"| {key[0]} | {key[1]} | {key[2]} | {len(group['runs'])} | {len(lengths)} ({rolled}) | {statistics.median(lengths):.0f} ms | "
              f"{percentile(lengths, 90):.0f} ms | {percentile(lengths, 99):.0f} ms | {max(lengths):.0f} ms | "
              f"{over(80)} ({100 * over(80) / len(lengths):.1f} %) | {over(100)} ({100 * over(100) / len(lengths):.1f} %) |")
    print("\n| build | backend | shape | full batches | actual ÷ expected time: median | 90th | 99th | largest | guard stops (statement time) | committed transactions over 80 ms, by cause |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for key in order:
        group = groups[key]
        if not group["ratio"]:
            continue
        ratio = group["ratio"]
        stops = [s for s in group["stops"] if s >= 0]
        stopped = f"{len(group['stops'])}" + (f" ({min(stops):.0f}–{max(stops):.0f} ms)" if stops else "")
        causes = ", ".join(f"{cause}: {count}" for cause, count in group["cause"].most_common()) or "none"
        print(f"| {key[0]} | {key[1]} | {key[2]} | {len(ratio)} | {statistics.median(ratio):.2f} | {percentile(ratio, 90):.2f} | "
              f"{percentile(ratio, 99):.2f} | {max(ratio):.2f} | {stopped} | {causes} |")


main()
