/**
 * The one home of the limits on a paper's text, used when reading collection files, when a
 * paper is added (CLI, Discord form, arXiv) and when a feed item is kept. Pure; no I/O.
 */

/** Longer than this is an abstract pasted into the title line, not a title. */
export const TITLE_MAX_CHARS = 1000;
/** arXiv caps abstracts at 1920 characters; other sources run longer, but not this long. */
export const ABSTRACT_MAX_CHARS = 20_000;

/** Titles or abstracts of a new paper that cannot be kept, one sentence each (empty = fine). */
export function paperTextProblems(paper: { title: string; abstract: string }): string[] {
  const problems: string[] = [];
  const title = paper.title.trim();
  const abstract = paper.abstract.trim();
  if (!title) problems.push('the title is empty');
  else if (title.length > TITLE_MAX_CHARS) problems.push(`the title is ${title.length} characters long; the limit is ${TITLE_MAX_CHARS}`);
  else if (!/[\p{L}\p{N}]/u.test(title)) problems.push('the title has no letters or digits in it');
  if (!abstract) problems.push('the abstract is empty');
  else if (abstract.length > ABSTRACT_MAX_CHARS) problems.push(`the abstract is ${abstract.length} characters long; the limit is ${ABSTRACT_MAX_CHARS}`);
  return problems;
}
