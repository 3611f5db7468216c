# SPDX-License-Identifier: Apache-2.0
# Generates dpkg.tsv: python3 gen-dpkg.py > dpkg.tsv (needs dpkg)
import random, subprocess, functools
random.seed(11)
def part(): return random.choice(["0","1","2","10","01","1a","1~rc1","1+b1","1.0","2.28","9",".1","a"])
def v():
    s = ""
    if random.random() < 0.15: s += random.choice(["0:","1:","2:"])
    s += random.choice(["0","1","2","10"]) + "".join(random.choice([".","","~","+"]) + part() for _ in range(random.randint(0,3)))
    if random.random() < 0.5: s += "-" + random.choice(["1","2","10","1.1","1~bpo1","0","1+deb10u1","ubuntu1"])
    return s
vs = sorted(set(v() for _ in range(150)))
def ok(x): return subprocess.run(["dpkg","--validate-version",x],capture_output=True).returncode==0
vs = [x for x in vs if ok(x)]
def cmp(a,b):
    if subprocess.run(["dpkg","--compare-versions",a,"lt",b]).returncode==0: return -1
    if subprocess.run(["dpkg","--compare-versions",a,"eq",b]).returncode==0: return 0
    return 1
vs.sort(key=functools.cmp_to_key(cmp))
rank=0
for i,x in enumerate(vs):
    if i>0 and cmp(vs[i-1],x)!=0: rank+=1
    print(f"{rank}\t{x}")
