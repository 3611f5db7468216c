// SPDX-License-Identifier: Apache-2.0
// Generates npm-semver.tsv: node gen-npm-semver.js > npm-semver.tsv (node-semver; SEMVER_MODULE=path overrides)
const semver = require(process.env.SEMVER_MODULE || '/usr/lib/node_modules/npm/node_modules/semver');
let seed = 5; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = a => a[Math.floor(rnd() * a.length)];
const vs = new Set();
while (vs.size < 500) {
  let v = [pick([0,1,2,10]), pick([0,1,9,10]), pick([0,1,2,11])].join('.');
  if (rnd() < 0.5) v += '-' + Array.from({length: 1 + Math.floor(rnd()*3)}, () => pick(['alpha','beta','rc','1','2','10','0','x-y','rc1','RC'])).join('.');
  if (rnd() < 0.2) v += '+' + pick(['build.1','exp','001']);
  if (semver.valid(v)) vs.add(v);
}
const arr = [...vs].sort(semver.compare);
let rank = 0;
arr.forEach((v, i) => { if (i > 0 && semver.compare(arr[i-1], v) !== 0) rank++; console.log(rank + '\t' + v); });
