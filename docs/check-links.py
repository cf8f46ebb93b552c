#!/usr/bin/env python3
"""Checks every relative Markdown link in README.md and docs/*.md: the file or directory exists and, for
#anchor, the target file has a heading with that GitHub slug. Prints each broken link; exits 1 if any.

  python3 docs/check-links.py [REPOSITORY_ROOT]      # default: the current directory
"""
import os, re, sys, glob, unicodedata

def slugs(path):
    out, seen, fence = set(), {}, False
    for line in open(path, encoding='utf-8'):
        if line.startswith('```'):
            fence = not fence
            continue
        m = None if fence else re.match(r'^(#{1,6})\s+(.*?)\s*#*\s*$', line)
        if not m:
            continue
        text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', m.group(2))  # link text only
        s = ''.join(ch for ch in text.lower()
                    if ch in ' -_' or unicodedata.category(ch)[0] in 'LMN')
        s = s.replace(' ', '-')
        n = seen.get(s, 0)
        seen[s] = n + 1
        out.add(s if n == 0 else f'{s}-{n}')
    return out

def links(path):
    fence = False
    for no, line in enumerate(open(path, encoding='utf-8'), 1):
        if line.startswith('```'):
            fence = not fence
            continue
        if fence:
            continue
        line = re.sub(r'`[^`]*`', lambda m: ' ' * len(m.group(0)), line)  # ignore inline code
        for m in re.finditer(r'\]\(([^)\s]+)\)', line):
            yield no, m.group(1)

root = sys.argv[1] if len(sys.argv) > 1 else '.'
files = [os.path.join(root, 'README.md')] + sorted(glob.glob(os.path.join(root, 'docs', '*.md')))
bad = checked = 0
for f in files:
    for no, target in links(f):
        if re.match(r'^[a-z]+:', target):
            continue  # http:, https:, mailto:
        checked += 1
        path, _, anchor = target.partition('#')
        dest = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        rel = os.path.relpath(f, root)
        if not os.path.exists(dest):
            print(f'{rel}:{no}: {target}: no such file {os.path.relpath(dest, root)}'); bad += 1
        elif anchor and (not dest.endswith('.md') or anchor not in slugs(dest)):
            print(f'{rel}:{no}: {target}: no heading #{anchor} in {os.path.relpath(dest, root)}'); bad += 1
print(f'{checked} relative links in {len(files)} files, {bad} broken')
sys.exit(1 if bad else 0)
