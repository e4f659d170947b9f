// YAML that is hostile or broken beyond a syntax error: each is one clear problem with its line,
// never an exception, a hang or a crash of node. Each case was found by yaml-documents.fuzz.test.ts.

import { billionLaughs } from '../testing/yaml-hostile';
import { lintSources } from './lint';
import { parseYamlDocuments } from './yaml-documents';

describe('hostile YAML', () => {
  const lint = (text: string) => lintSources([{ path: 'f.yaml', text }]);

  test('an alias bomb ("billion laughs") is one clear problem', () => {
    expect(lint(billionLaughs(10)).fileProblems.map((p) => p.message)).toEqual([
      "YAML: cannot read this document: the document's aliases (*name) expand into too many copies (more than 100), as an alias bomb does; write the values out or use fewer aliases (column 1)",
    ]);
  });

  test('brackets nested thousands deep are one problem at the bracket, read no further', () => {
    // the yaml library's parser recursed once per bracket and threw a RangeError out of lint (in a
    // fresh process it can even abort node in its regex compiler)
    const report = lint(`kind: Rollout\nspec: ${'['.repeat(5000)}x`);
    expect(report.fileProblems).toEqual([
      {
        file: 'f.yaml',
        line: 2,
        message:
          'YAML: brackets nest more than 200 levels deep here; a Kubernetes object nests a few dozen levels at most: look for unclosed [ or { (column 207)',
      },
    ]);
  });

  test('a map that contains itself through an alias is reported with its path and line', () => {
    // the cyclic value reached validation, which walked it 100 levels deep
    const report = lint(
      'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: x}\nspec: &s\n  replicas: 1\n  again: *s\n',
    );
    expect(report.fileProblems).toEqual([
      {
        file: 'f.yaml',
        line: 6,
        message:
          'YAML: spec.again contains itself through an alias (*name inside its own &name), so it never ends and kubectl cannot send it; write the values out (column 3)',
      },
    ]);
    expect(report.objects).toEqual([]);
  });

  test('parseYamlDocuments itself never throws on text the yaml parser overflows on', () => {
    const docs = parseYamlDocuments(`a: ${'{a: '.repeat(20_000)}1`);
    expect(docs).toHaveLength(1);
    expect(docs[0]?.value).toBeUndefined();
    expect(docs[0]?.problems[0]?.message).toMatch(/^brackets nest more than 200 levels deep here/);
  });
});
