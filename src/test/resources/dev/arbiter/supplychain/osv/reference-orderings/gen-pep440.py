# SPDX-License-Identifier: Apache-2.0
# Generates pep440.tsv: python3 gen-pep440.py > pep440.tsv (needs the packaging library)
import random, sys
from packaging.version import Version, InvalidVersion
random.seed(7)
def rel(): return ".".join(str(random.choice([0,0,1,2,3,10,11])) for _ in range(random.randint(1,4)))
def v():
    s = ""
    if random.random() < 0.1: s += f"{random.randint(0,2)}!"
    s += rel()
    r = random.random()
    if r < 0.4:
        s += random.choice(["a","b","rc","alpha","beta","c","pre","preview","-a",".rc","_b"]) + random.choice(["","0","1","2","10"])
    if random.random() < 0.3:
        s += random.choice([".post","-post","post",".rev","-r","-"]) + random.choice(["1","2","0"]) if random.random()<0.9 else ".post"
    if random.random() < 0.3:
        s += random.choice([".dev","dev","-dev"]) + random.choice(["","0","1","5"])
    if random.random() < 0.15:
        s += "+" + random.choice(["abc","5","abc.5","1.abc","ubuntu-1","ABC.7"])
    if random.random() < 0.1: s = s.upper()
    if random.random() < 0.05: s = "v" + s
    return s
vs = []
while len(vs) < 600:
    x = v()
    try: Version(x); vs.append(x)
    except InvalidVersion: pass
vs.sort(key=Version)
rank = 0
for i, x in enumerate(vs):
    if i > 0 and Version(vs[i-1]) != Version(x): rank += 1
    print(f"{rank}\t{x}")
