#!/usr/bin/env python3
"""CPU of the swarm benchmark's processes, second by second, to read a slow moment afterwards.

  cpu-sampler.py record OUT SECONDS   # every second: the machine's /proc/stat, each stack process's
                                      # CPU ticks, and each thread's of the viewers' JVM; stops after SECONDS
  cpu-sampler.py report OUT [WINDOW]  # per WINDOW seconds (10): busy cores, steal, each process and
                                      # the busiest thread groups of the viewers' JVM, in % of a core

One process reading /proc, so the sampling itself costs next to nothing (shell loops forking a
command per thread and process every second or two cost the benchmark almost half a core).
"""
import collections
import os
import re
import sys
import time

PROCESSES = re.compile(r'SwarmBenchmark|Cdn (origin|tracker|edge)|^ffmpeg')
TICKS = os.sysconf('SC_CLK_TCK')


def ticks(stat_path):
    """utime + stime of a /proc stat file, or None once the process or thread is gone."""
    try:
        with open(stat_path) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ''


def record(out_path, seconds):
    end = time.time() + seconds
    with open(out_path, 'w') as out:
        while time.time() < end:
            now = time.time()
            out.write(f'{now:.1f} stat {read("/proc/stat").splitlines()[0]}\n')
            for pid in filter(str.isdigit, os.listdir('/proc')):
                match = PROCESSES.search(read(f'/proc/{pid}/cmdline').replace('\0', ' '))
                used = ticks(f'/proc/{pid}/stat') if match else None
                if used is None:
                    continue
                name = match.group(0).replace(' ', '_')
                out.write(f'{now:.1f} proc {name} {used}\n')
                if name == 'SwarmBenchmark':
                    for tid in os.listdir(f'/proc/{pid}/task'):
                        comm = read(f'/proc/{pid}/task/{tid}/comm').strip().replace(' ', '_')
                        used = ticks(f'/proc/{pid}/task/{tid}/stat')
                        if comm and used is not None:
                            out.write(f'{now:.1f} thread {tid} {comm} {used}\n')
            out.flush()
            time.sleep(max(0.0, 1 - (time.time() - now)))


def report(out_path, window):
    machine, processes, threads = {}, collections.defaultdict(dict), collections.defaultdict(dict)
    for line in open(out_path):
        parts = line.split()
        second = round(float(parts[0]))
        if parts[1] == 'stat':
            machine[second] = [int(v) for v in parts[3:]]
        elif parts[1] == 'proc':
            processes[second][parts[2]] = int(parts[3])
        else:  # threads of one kind (vert.x-eventloop-thread-0..3) count as one group
            threads[second][(parts[2], re.sub(r'\d+', 'N', parts[3]))] = int(parts[4])
    seconds = sorted(machine)
    cores = os.cpu_count()
    for i in range(0, len(seconds) - window, window):
        a, b = seconds[i], seconds[i + window]
        delta = [y - x for x, y in zip(machine[a], machine[b])]
        total = sum(delta) or 1
        line = (f'{a - seconds[0]:5d} s  busy {100 * cores * (total - delta[3] - delta[4]) / total:4.0f} %'
                f'  steal {100 * cores * delta[7] / total:3.0f} % |')
        for name in ('SwarmBenchmark', 'Cdn_edge', 'Cdn_tracker', 'Cdn_origin', 'ffmpeg'):
            if name in processes[a] and name in processes[b]:
                line += f' {name} {100 * (processes[b][name] - processes[a][name]) / TICKS / (b - a):3.0f}'
        groups = collections.Counter()
        for key, used in threads[b].items():
            if key in threads[a]:
                groups[key[1]] += 100 * (used - threads[a][key]) / TICKS / (b - a)
        line += ' | ' + ', '.join(f'{g} {v:.0f}' for g, v in groups.most_common(5))
        print(line)


if __name__ == '__main__':
    if len(sys.argv) >= 4 and sys.argv[1] == 'record':
        record(sys.argv[2], float(sys.argv[3]))
    elif len(sys.argv) >= 3 and sys.argv[1] == 'report':
        report(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 10)
    else:
        sys.exit(__doc__)
