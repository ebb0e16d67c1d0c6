/**
 * Plain language → capability. Generic English cue phrases only ("which papers",
 * "tell me about", "similar to"); nothing about any collection. Pure: what the words ask
 * for, before knowing which papers they point at (resolve.ts does that).
 */

export type Intent =
  | 'greeting'
  | 'help'
  | 'today'
  | 'find'
  | 'similar'
  | 'paper'
  | 'code'
  | 'compare'
  | 'authors'
  | 'date'
  | 'more'
  | 'ask';

export interface Route {
  intent: Intent;
  /** Search words for find/similar-by-text: the message without cue phrases and filler. */
  topic: string;
  /** "papers with code on …", "which of these have code": only papers with code links. */
  hasCode: boolean;
  /** The message asks for several papers ("which papers", "any papers"), not one answer. */
  wantsList: boolean;
}

const GREETING =
  /^\s*(?:hi|hello|hey|hiya|yo|howdy|greetings|good (?:morning|afternoon|evening)|thanks|thank you|thx|ty|cheers|ok(?:ay)?|cool|great|nice|awesome|perfect|got it|bye|goodbye|see you)\b[\s!.,:)]*(?:so much|a lot|again)?[\s!.,:)]*(?:\w+)?[\s!.:)]*$/i;
const HELP =
  /^\s*(?:help|\?+|commands?|usage|menu|options)\s*[?!.]*$|\bwhat (?:can|do|else can) you do\b|\bhow (?:do|can|should) i use (?:you|this|it|the bot)\b|\bwho are you\b|\bwhat are you\b|\bhow does this (?:bot |thing )?work\b|\bwhat (?:can|should) i ask\b|\bwhat are (?:your|the) commands\b/i;
const TODAY =
  /\b(?:today'?s?|daily|of the day)\b.{0,20}\b(?:picks?|papers?|reads?|reading|recommendations?|suggestions?)\b|\bpapers? of the day\b|\bwhat should i read\b|\b(?:pick|recommend|suggest)\b.{0,20}\b(?:something|a paper|papers|anything)\b.{0,15}\b(?:to read|today)\b|\bdaily picks?\b|\bpicks? (?:for )?today\b|\banything (?:new|good) (?:to read )?today\b/i;
/** "… or something like that": a hedge on what was said, not a pointer or a request for similar papers. */
const HEDGE = /\s*\b(?:or|and) (?:something|anything|stuff|so) (?:like|along the lines of|similar to)? ?(?:this|that)?(?=\s*[?.!,]*\s*$)|\s*,?\s*\b(?:or so|i think|i guess|i believe|if i remember (?:correctly|right)|iirc)(?=\s*[?.!,]*\s*$)/gi;

/** The message without a trailing hedge ("… or something like that", "… i think"). */
export function withoutHedges(text: string): string {
  return text.replace(HEDGE, '').trim() || text;
}
/** "which codecs do they compare with?": a question about the paper's baselines, not a request to compare. */
const ASKS_WHAT_COMPARED = /^\s*(?:what|which|who)\b.*\b(?:compare[ds]?|compared|comparing)\s+(?:it\s+|them\s+|themselves\s+)?(?:with|to|against)\s*[?.!]*$/i;
/** "is there a study comparing X and Y?": a search for papers, whatever it compares. */
const ASKS_FOR_PAPERS = /\b(?:is there|are there|any|anything|find|search|show me|do (?:you|we) have)\b[^?]{0,25}\b(?:papers?|stud(?:y|ies)|works?|articles?|research|literature)\b/i;
/** "better than <paper>": a comparison when a paper is named. */
const THAN = /\b(?:better|worse|faster|slower|stronger|weaker|cheaper|bigger|smaller|more accurate|more efficient) than\b/i;
const COMPARE =
  /\bwhich (?:one |of (?:them|these|those|the two) )?(?:is|was|works|performs|does|did) (?:better|best|faster|slower|cheaper|stronger|more accurate|more efficient)\b|\b(?:better|worse|faster|slower|stronger|weaker|cheaper|bigger|smaller|more accurate|more efficient) than (?:it|this|that|them|these|those|the (?:other|first|second|third|fourth|fifth|last)\b|#\d)|\bcompare[ds]?\b|\bcomparing\b|\bcomparison\b|\bcontrast\b|\bdiffer(?:ence|ences|ent|s)?\b.{0,15}\b(?:between|from|with)\b|\bhow do (?:they|these|those|the two|both|\w+ and \w+) (?:differ|compare|relate)\b|\b(?:vs\.?|versus)\b|\bsame or different\b|\bin common\b|\bhow (?:is|does) (?:it|this|that) (?:differ|different)\b/i;
const SIMILAR =
  /\bsimilar\b|\brelated (?:work|works|papers?|research|studies|approaches|reading)\b|\bmore (?:like|along the lines of) (?:this|that|it|these|those|them)\b|\b(?:papers?|anything|something|others?|stuff|more|work) (?:else )?like (?:this|that|it|these|those|them)\b|\blike (?:this|that|it) one\b|\b(?:in|on|along) the same (?:vein|area|topic|direction|spirit|lines?)\b|\bsame (?:topic|idea|area|direction)\b|\bclosely related\b|^\s*(?:(?:and|so|ok(?:ay)?)[,\s]+)?what else\s*(?:is there|do you have|have you got|(?:is )?(?:similar|related|close))?\s*[?.!]*$|\bother (?:papers?|work) (?:on|about|like) (?:this|that|it|the same)\b|\bfurther reading\b|\bfollow[- ]?up (?:papers?|work)\b/i;
const CODE_WORD = '(?:code|github|gitlab|repo|repository|implementation|codebase|source)';
const CODE =
  new RegExp(
    `\\b(?:have|has|got|is there|are there|any|where(?:'s| is| can i find)?|link|links|release[ds]?|available|share[ds]?|publish(?:ed)?|provide[ds]?|come with|find)\\b.{0,25}\\b${CODE_WORD}\\b|\\b${CODE_WORD}\\b.{0,40}\\b(?:available|released|public|link|online|out)\\b|\\bopen[- ]?sourced?\\b|^\\s*(?:and\\s+|any\\s+|the\\s+)?${CODE_WORD}s?\\s*[?.!]*$`,
    'i',
  );
/** The words of a "with code" filter, taken out of the search words. */
const CODE_FILTER_PHRASE = /\bwith (?:public |released |open[- ]source )?(?:code|an? implementation|github|source code|a repo(?:sitory)?)\b/gi;
const WITH_CODE = /\bwith (?:code|an? implementation|github|source code|a repo(?:sitory)?|released code)\b|\b(?:have|has|with) (?:public |released |open[- ]source )?code\b/i;
const AUTHORS =
  /\bwho (?:wrote|writes|authored|made|created|developed|published|did|is behind|are behind)\b|\bwho (?:are|were|is|was) the (?:authors?|researchers|people)\b|\bauthors?\b|\bwritten by\b|\bwhich (?:lab|labs|group|university|institution|company|team)\b|\baffiliations?\b|\bwhere (?:was|were|is|did) (?:the |this |that |their )?(?:it|work|research|study|paper|they)?\s*(?:done|conducted|carried out|developed|do it|come from|based)\b/i;
const DATE =
  /\bwhere (?:was|is|were|did) (?:it|this|that|they|the paper|this paper)\b.{0,20}\b(?:published|presented|accepted|appear(?:ed)?)\b|\b(?:which|what) (?:venue|conference|journal)\b|\bvenue\b|\bwhen (?:was|were|did|is) .{0,40}\b(?:published|released|written|come out|came out|appear(?:ed)?|submitted|posted|out)\b|\bpublication (?:date|year)\b|\bwhat year\b|\bhow (?:old|recent|new) (?:is|are)\b|\bpublished (?:in|on|when)\b|\bwhat date\b/i;
const PAPER =
  /\btell me (?:more |a bit |a little |something )?about\b|^\s*(?:(?:ok(?:ay)?|and|please)[,\s]+)?tell me more\s*(?:please)?\s*[?.!]*$|\bwhat(?:'s| is| was| are) (?:it|this|that|they|these|those|the paper|this paper|that paper|this one|that one|the \w+ one)\s*(?:about|on)\b|\bsummar(?:y|ize|ise|ising|izing)\b|\btl;?dr\b|\boverview\b|\bexplain (?:it|this|that|them|the paper)\s*[?.!]*$|\bmore (?:details?|info(?:rmation)?)\b|\bdetails (?:on|about|of)\b|\bdescribe\b|\babstract\b|\bwhat does (?:it|this|that|the paper)(?: paper| one)? (?:do|propose|present|introduce|contribute|say|claim|offer)\b|\b(?:main|key|core|central) (?:idea|contribution|point|finding|result|claim)s?\b|\bwhat(?:'s| is) (?:the )?(?:gist|point|idea)\b|^\s*(?:and\s+)?(?:go on|open|show)\s*(?:it|that|this)?\s*[?.!]*$|\b(?:pdf|url|arxiv link|link to (?:it|the paper|this|that))\b|^\s*(?:the\s+)?link\s*[?.!]*$|\bwhat(?:'s| is) (?:the|its) (?:title|name)\b|^\s*(?:and\s+)?what(?:'s| is) (?:it|the paper|this|that)(?: one| paper)? called\s*[?.!]*$|\bis (?:it|that|this)(?: one| paper)? (?:here|in (?:the|your) collection)\b|\bone[- ](?:line|sentence)s?\b|\bbriefly\b|\bin a nutshell\b|\bgive me the (?:title|link)\b|\bwhat(?:'s| is| was) (?:the )?(?:[\w+-]+ ){1,4}(?:paper|one|work|study) (?:about|on)\s*[?.!]*$|\bwhat (?:does|did) (?:#\d+|the \w+ one|\S+) (?:propose|introduce|present|contribute)\b/i;
/** "more", "next", "more results": the next page of the last search. */
const MORE = /^\s*(?:(?:ok(?:ay)?|and|please)[,\s]+)?(?:show (?:me )?)?(?:more|next|next page|more (?:results|papers|please)|keep going|any more|anything else)\s*(?:please)?\s*[?.!]*$/i;
const FIND =
  /\b(?:does|do|is there|are there|is|has)\s+(?:any|a)\s+(?:paper|work|study)\b|\b(?:any|which|some|none)\s+of\s+(?:these|those|them|the above)\b(?=\s+\S)|\b(?:which|what|any|some|find|search|show|list|get|give|recommend|suggest|are there|is there|do (?:you|we) have|got|know (?:of|any))\b[^?]{0,30}?\b(?:papers|works(?!\s+(?:best|better|well|worse|poorly|fine|great|for (?:it|them|this|that))\b|\s*[?.!]*$)|articles|studies|publications|preprints|literature)\b|\b(?:papers|articles|preprints|publications)\s*(?:pls|please)?\s*[?.!]*$|\bpapers? (?:on|about|regarding|for|that|which|using|with|related|where|dealing|covering|discussing|studying|proposing|in)\b|\b(?:anything|something|stuff|work|research|literature) (?:on|about|regarding|related to|for|covering|dealing with|that)\b|\bis there (?:any(?:thing)?|something|a paper|work)\b|\bare there any\b|\blook(?:ing)? (?:for|into)\b|\bfind me\b|^\s*(?:any\s+)?(?:ways|approaches|methods|techniques|tricks|tips)\s+(?:to|for|of)\b|^\s*(?:(?:please|can you|could you|now)\s+)?search\b|\bshow me\b|\bpoint me to\b|\bwhat (?:do|does|did) (?:you|we|the collection|it) (?:have|got|know) (?:on|about|for|regarding)\b|\bwhat(?:'s| is) (?:there|out there|in the collection) (?:on|about|for)\b|\bwhat do you know about\b/i;
/** "and …?", "what about …?": a follow-up that leans on the previous message for what it asks. */
const FOLLOW_ON = /^\s*(?:(?:ok(?:ay)?|so|right|alright|cool|thanks)[,!.]?\s+)?(?:and|also|what about|how about|and what about|and how about|same (?:question )?(?:for|with|about)|same for)\b/i;
/** Short acknowledgements get a short reply, not the whole help text. */
const THANKS = /^\s*(?:thanks|thank you|thx|ty|cheers|great|perfect|nice|cool|awesome|got it|ok(?:ay)?)\b/i;

/** Whether the message opens like an elliptical follow-up ("and the second one?", "what about X?"). */
export function followsOn(text: string): boolean {
  return FOLLOW_ON.test(text);
}

/** The message with its follow-on opener ("and", "what about") removed. */
export function withoutFollowOn(text: string): string {
  return text.replace(FOLLOW_ON, ' ').trim();
}

export function isThanks(text: string): boolean {
  return THANKS.test(text);
}

/** A question asking for one paper ("which paper introduced …") rather than a list. */
const WHICH_PAPER = /\b(?:which|what) (?:paper|work|article|study|one)\b/i;
const QUESTION_START = /^\s*(?:(?:by|in|on|at|to|for|from|with|under|against|of|over)\s+(?:what|which|how|whom)\b|what|whats|which|who|whos|whom|whose|why|how|hows|when|where|wheres|is|are|was|were|does|do|did|can|could|would|should|will|has|have|had|may|might|according)\b/i;

/** "hey paperbot," / "ok so," at the start: addressing, not the topic. */
const SALUTATION = /^\s*(?:(?:hey|hi|hello|yo|ok(?:ay)?|so|well|please|um+|uh+)\b[^,.!?]{0,25}[,!]\s*)+/i;

/** Words that ask for papers but are not what the papers are about. */
const FILLER = new Set(
  (
    'papers paper works article articles studies study publications publication preprints preprint literature research ' +
    'anything something stuff any some find search show list give recommend suggest looking look find me us please pls ' +
    'hey hi there is are do does you we have got know of collection tell about regarding related on which what ' +
    'interested want need read reading can could would should any i i\'m im get the a an in for that ones one ' +
    'point to else more other others and also how only just mainly especially ideally learn understand what\'s whats it\'s that\'s there\'s ' +
    // "which papers use X": the papers are about X (inside a topic, "models that use X", the word stays).
    'use uses using'
  ).split(' '),
);

/** Filler that may end a message ("… papers please"); a trailing "search" or "learning" is the topic's own. */
const TRAILING_FILLER = new Set(
  'papers paper works articles studies publications preprints literature research anything something stuff any some please pls thanks there ones one else more other others on about in for of to the a an what which'.split(' '),
);

/** The search words of a message: cue phrases and filler out, at most 300 characters. */
export function topicOf(text: string): string {
  const cleaned = text
    .replace(SALUTATION, ' ')
    .replace(CODE_FILTER_PHRASE, ' ')
    .replace(/[?!.,;:"“”‘’()[\]{}]+/g, ' ');
  const words = cleaned.split(/\s+/).filter(Boolean);
  // Filler is dropped only at the edges and between cue words, so "models that use X" keeps "use X".
  let start = 0;
  while (start < words.length && FILLER.has(words[start]!.toLowerCase())) start++;
  let end = words.length;
  while (end > start && TRAILING_FILLER.has(words[end - 1]!.toLowerCase())) end--;
  const core = words.slice(start, end).filter((w) => !/^(?:papers?|works|articles?|studies|publications|preprints?)$/i.test(w));
  return core.join(' ').slice(0, 300).trim();
}

/** The search words after a cue phrase ("what do we have on | speech codecs"), or '' when nothing follows it. */
function afterCue(text: string, cue: RegExp): string {
  const m = new RegExp(cue.source, cue.flags.replace('g', '')).exec(text);
  return m ? topicOf(text.slice(m.index + m[0].length)) : '';
}

/** "which one is faster at encoding a new concept?": a pick by what it does, not the papers side by side. */
const WHICH_IS_BETTER = /\bwhich (?:one |of (?:them|these|those|the two) )?(?:is|was|works|performs|does|did) (?:better|best|faster|slower|cheaper|stronger|more accurate|more efficient)\b/i;
function picksByQuality(text: string, rest: string): boolean {
  return WHICH_IS_BETTER.test(text) && topicOf(rest.replace(WHICH_IS_BETTER, ' ').replace(/^\s*(?:is|was|works|performs|does|did)?\s*(?:better|best|faster|slower|cheaper|stronger|more accurate|more efficient)\b/i, ' ').replace(/\b(?:at|in|for|on|when)\b/gi, ' ')).length > 0;
}

export interface RouteContext {
  /** The message points back at papers ("it", "these", "the second one"). */
  refers: boolean;
  /** The message names papers of the collection. */
  names: number;
  /** Papers are being discussed (a question without pointers may be about them). */
  hasFocus?: boolean;
  /** How many of the named papers are named by a title or a name of their own (not a run of title words). */
  strongNames?: number;
}

/** Verbs that make a few words with a question mark a question rather than a topic ("does X help?"). */
const ASKING_VERB = /\b(?:is|are|was|were|does|do|did|can|could|would|should|will|has|have|had|helps?|works?|matters?|means?)\b/i;

/** What the message asks for. `rest` is the message without its reference phrases. */
export function route(text: string, rest: string, ctx: RouteContext): Route {
  const base = { hasCode: WITH_CODE.test(text), wantsList: false };
  const about = ctx.refers || ctx.names > 0;
  const searchable = rest.replace(CODE_FILTER_PHRASE, ' ');
  const topic = topicOf(searchable);
  const make = (intent: Intent, extra: Partial<Route> = {}): Route => ({ intent, topic, ...base, ...extra });

  if (GREETING.test(text) && !about && !FIND.test(text)) return make('greeting');
  if (HELP.test(text)) return make('help');
  if (TODAY.test(text) && !about) return make('today');
  if (((COMPARE.test(text) && (about || (/ and /i.test(text) && !ASKS_FOR_PAPERS.test(text)))) || (THAN.test(text) && ctx.names > 0)) && !ASKS_WHAT_COMPARED.test(text) && !picksByQuality(text, rest)) return make('compare');
  if (SIMILAR.test(text)) return make('similar', { topic: topicOf(rest.replace(SIMILAR, ' ').replace(/\bto\b/gi, ' ')) });
  if (CODE.test(text) && (about || !FIND.test(text))) return make('code', { hasCode: true });
  if (about && AUTHORS.test(text)) return make('authors');
  if (about && DATE.test(text)) return make('date');
  if (MORE.test(text)) return make('more');
  if (PAPER.test(text)) {
    // "tell me about <topic>" with no paper named is a search; "link?" alone is about the paper in focus.
    const asked = topicOf(rest.replace(PAPER, ' '));
    // "what does it do on heads that focus on special tokens?": a question, not a request for the summary.
    if (about && asked.split(/\s+/).length >= 3 && QUESTION_START.test(text)) return make('ask');
    if (about || !asked) return make('paper');
    return make('find', { wantsList: true, topic: afterCue(rest, PAPER) || topicOf(rest.replace(PAPER, ' ')) });
  }
  if (AUTHORS.test(text) || DATE.test(text)) return make(AUTHORS.test(text) ? 'authors' : 'date');
  if (FIND.test(text) && !WHICH_PAPER.test(text)) return make('find', { wantsList: true, topic: afterCue(searchable, FIND) || topic });
  if (WHICH_PAPER.test(text) && !ctx.refers) return make('ask', { wantsList: true });
  // "what about <topic>?" with nothing pointed at: a new search.
  if (FOLLOW_ON.test(text) && !about && topicOf(withoutFollowOn(rest))) return make('find', { wantsList: true, topic: topicOf(withoutFollowOn(rest)) });
  // "positional encodings for graphs?" with nothing discussed yet: a topic, asked as a question.
  if (!ctx.refers && !ctx.strongNames && !ctx.hasFocus && !QUESTION_START.test(text) && /\?\s*$/.test(text) && !ASKING_VERB.test(text) && text.split(/\s+/).length <= 8) {
    return make('find', { wantsList: true });
  }
  if (QUESTION_START.test(text) || /\?\s*$/.test(text)) return make('ask');
  // A few words and no question: a search ("byte-level language models").
  if (!about && text.split(/\s+/).length <= 8) return make('find', { wantsList: true });
  return make('ask');
}
