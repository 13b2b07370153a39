import { readFileIn, type CliIo } from '../io.ts';
import { createInterface } from 'node:readline';
import { parseCommandArgs, UsageError } from '../args.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { compileClassifier, type Classifier } from '../../shared/classify/index.ts';
import { explainClassification } from '../../shared/classify/explain.ts';

const HELP = `Usage: newswatch classify [--config FILE] [--explain] < articles.jsonl
       newswatch classify [--config FILE] [--explain] FILE.txt
       newswatch classify [--config FILE] [--explain] --text "title\\nbody..."

With no FILE and no --text: reads JSONL {"id","title","body"} on stdin and writes one
line per input, in input order: {"id","topics":[...],"why":{...}}. "topics" lists the
matched topics highest score first: the first is the story's primary topic. A line
that is not JSON or has no id gets {"id":...,"error":"..."} and the rest go on.
--explain adds "explanation" (the readable text) to each output line.

With FILE.txt or --text: prints the explanation, why each topic matches or not, with
each term found (first line = title); --explain is then the default and changes nothing.

Options:
  -c, --config FILE   config file (default: ${DEFAULT_CONFIG_FILE})
  -t, --text TEXT     classify this text
  -e, --explain       JSONL: add the readable explanation to each line
                      (FILE.txt and --text always print it)
  -h, --help
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      config: { type: 'string', short: 'c' },
      text: { type: 'string', short: 't' },
      explain: { type: 'boolean', short: 'e' },
    },
    HELP,
    true,
  );
  // One article at a time: with both, the file would be ignored without a word.
  if (values.text !== undefined && positionals.length > 0) {
    throw new UsageError(`give FILE.txt or --text, not both (got '${positionals[0]}' and --text); see \`newswatch classify --help\``);
  }
  if (positionals.length > 1) throw new UsageError(`one FILE.txt at a time: unexpected argument '${positionals[1]}'; see \`newswatch classify --help\``);
  const config = loadConfig(values.config ?? DEFAULT_CONFIG_FILE, io.cwd);
  const classifier = compileClassifier(config.topics);
  const file = positionals[0];
  if (values.text !== undefined || file !== undefined) {
    let text: string;
    try {
      text = values.text ?? readFileIn(io, file!).toString('utf8');
    } catch (e) {
      io.stderr.write(`newswatch classify: cannot read ${file} (${(e as Error).message})\n`);
      return 1;
    }
    const { title, body } = splitTitle(text);
    io.stdout.write(explainClassification(title, classifier.classify({ title, body }), config.topics));
    return 0;
  }
  await classifyStream(io, classifier, config.topics, values.explain === true);
  return 0;
}

/** First non-empty line is the title, the rest the body. */
function splitTitle(text: string): { title: string; body: string } {
  const t = text.replace(/^\s+/, '');
  const nl = t.indexOf('\n');
  return nl < 0 ? { title: t.trim(), body: '' } : { title: t.slice(0, nl).trim(), body: t.slice(nl + 1) };
}

async function classifyStream(io: CliIo, classifier: Classifier, topics: Parameters<typeof explainClassification>[2], explain: boolean): Promise<void> {
  if (io.stdin.isTTY) io.stderr.write('newswatch classify: reading JSONL from stdin (Ctrl-D to finish; --help for FILE.txt and --text)\n');
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let first = true;
  for await (const raw of lines) {
    // A byte-order mark from Windows editors is not part of the first JSON value.
    const line = first ? raw.replace(/^\uFEFF/, '') : raw;
    first = false;
    if (line.trim() === '') continue;
    const out = classifyLine(classifier, line, topics, explain);
    // Respect back-pressure so a large input streams instead of piling up in memory.
    if (!io.stdout.write(JSON.stringify(out) + '\n')) await new Promise((r) => io.stdout.once('drain', r));
  }
}

function classifyLine(classifier: Classifier, line: string, topics: Parameters<typeof explainClassification>[2], explain: boolean): object {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (e) {
    return { id: null, error: `not valid JSON: ${(e as Error).message}` };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { id: null, error: 'expected a JSON object {"id","title","body"}' };
  const rec = input as Record<string, unknown>;
  const id = typeof rec.id === 'string' || typeof rec.id === 'number' ? rec.id : null;
  if (id === null) return { id: null, error: 'missing "id" (a string or number)' };
  if (rec.title !== undefined && typeof rec.title !== 'string') return { id, error: '"title" must be a string' };
  if (rec.body !== undefined && typeof rec.body !== 'string') return { id, error: '"body" must be a string' };
  const title = (rec.title as string | undefined) ?? '';
  const body = (rec.body as string | undefined) ?? '';
  const result = classifier.classify({ title, body });
  return explain ? { id, ...result, explanation: explainClassification(title, result, topics) } : { id, ...result };
}
