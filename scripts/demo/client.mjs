// `node client.mjs URL N`: N sequential requests on fresh connections; prints who answered.
import { get } from 'node:http';

const [url = 'http://10.103.97.2:6443/', n = '6'] = process.argv.slice(2);
const once = () => new Promise((resolve) => {
  const req = get(url, { agent: false, timeout: 2000 }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d)).on('end', () => resolve(body.trim()));
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (e) => resolve(`ERR ${e.code ?? e.message}`));
});
const answers = [];
for (let i = 0; i < Number(n); i++) answers.push(await once());
console.log(answers.join(' '));
