#!/usr/bin/python3
"""Prints the generated tables of DATASET.md (counts, exclusions, duplicates) from labels.csv and
dedup.csv, so the card can be checked against the data:  /usr/bin/python3 models/training/dataset_card.py
"""
import collections
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data as D  # noqa: E402
import labels as L  # noqa: E402


def short(p):
    for prefix in ('/usr/share/hydrogen/data/drumkits/', '/usr/share/', os.path.join(HERE, 'cache') + '/'):
        if p.startswith(prefix):
            return p[len(prefix):]
    return p


def main():
    rows = L.read_labels()
    dd = D.read_dedup()
    print('## Counts per source (kept sounds, after deduplication)\n')
    print('| source (leave-one-source-out unit) | package(s) | ' + ' | '.join(L.CLASSES) + ' | kept | groups |')
    print('|---' * (len(L.CLASSES) + 4) + '|')
    by = collections.defaultdict(collections.Counter)
    groups = collections.defaultdict(set)
    pkgs = collections.defaultdict(set)
    for r in rows:
        if r['class'] == 'exclude' or dd[r['path']]['status'] != 'kept':
            continue
        s = D.source_of(r) if r['role'] == 'train' else r['source'] + ' (evaluation only)'
        by[s][r['class']] += 1
        groups[s].add(r['group'])
        pkgs[s].add(r['package'])
    total = collections.Counter()
    for s in sorted(by, key=lambda k: ('evaluation' in k, k)):
        c = by[s]
        if 'evaluation' not in s:
            total.update(c)
        print('| %s | %s | %s | %d | %d |' % (s, ', '.join(sorted(pkgs[s])), ' | '.join(str(c[k]) for k in L.CLASSES),
                                             sum(c.values()), len(groups[s])))
    print('| **training, all** | | %s | %d | %d |' % (' | '.join(str(total[k]) for k in L.CLASSES), sum(total.values()),
                                                     sum(len(groups[s]) for s in groups if 'evaluation' not in s)))
    print('\n## Excluded, by reason\n')
    ex = collections.defaultdict(list)
    for r in rows:
        if r['class'] == 'exclude':
            ex[(r['role'], r['excluded_because'])].append(r)
    print('| role | reason | files | examples |\n|---|---|---|---|')
    for (role, why), rs in sorted(ex.items(), key=lambda kv: (kv[0][0] != 'train', -len(kv[1]))):
        names = sorted({r['name'] if r['package'] != 'hydrogen-drumkits' else r['name'] for r in rs})
        print('| %s | %s | %d | %s |' % (role, why, len(rs), '; '.join(names[:6]) + (' ...' if len(names) > 6 else '')))
    print('\n## Duplicates dropped\n')
    kinds = collections.Counter()
    for r in rows:
        if r['class'] == 'exclude':
            continue
        d = dd[r['path']]
        if d['status'] != 'duplicate':
            continue
        other = next(o for o in rows if o['path'] == (d['duplicate_of'] if os.path.isabs(d['duplicate_of'])
                                                       else os.path.join(HERE, d['duplicate_of'])))
        if r['role'] == 'eval' and other['role'] == 'train':
            where = 'evaluation sound = training sound'
        elif r['source'] == other['source']:
            where = 'within one source'
        else:
            where = 'across sources'
        kinds[(r['role'], where, d['test'])] += 1
    print('| role | where | test | dropped |\n|---|---|---|---|')
    for k in sorted(kinds):
        print('| %s | %s | %s | %d |' % (k + (kinds[k],)))
    print('\nCross-source duplicates (training), kept copy <- dropped copy:\n')
    for r in rows:
        d = dd.get(r['path'])
        if r['class'] == 'exclude' or r['role'] != 'train' or d['status'] != 'duplicate':
            continue
        op = d['duplicate_of'] if os.path.isabs(d['duplicate_of']) else os.path.join(HERE, d['duplicate_of'])
        o = next(x for x in rows if x['path'] == op)
        if o['source'] != r['source']:
            print('- %s <- %s (%s, %s %s)' % (short(op), short(r['path']), r['class'], d['test'], d['score']))


if __name__ == '__main__':
    main()
