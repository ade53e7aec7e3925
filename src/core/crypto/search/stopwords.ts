/*
 * Function words that would match almost every record: indexing them costs
 * space and leaks frequencies without helping anyone find anything. Lists are
 * deliberately short — pronouns, prepositions, conjunctions, particles and the
 * verb "to be" — and written in normalized form (lower case, ё as е, no
 * apostrophes). Numerals and negations with meaning in casework are kept out.
 */
const words = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter(Boolean));

export const russianStopWords = words(`
  а без бы был была были было быть в вам вас ведь во вот все всех вы где да для до его ее ей ему если есть же
  за и из или им их к как какая какой когда кто ли меня мне мы на над нас не него нее ни них но ну о об он она
  они оно от по под при про с себе себя со та так также там тем то тогда того тоже той только том ты у уж уже
  чем что чтоб чтобы эта эти это этого этой этом этот эту я
`);

export const ukrainianStopWords = words(`
  а або адже аж але б би був і була були було бути в вам вас ви від він вона вони воно все вже всі де для до є
  ж же з за зі із її їй їм їх й його йому коли лише мене мені ми на над нам нас не ні по при про під саме себе
  собі та так також там теж ти тим то тобі той ту ті тільки у це цей ці ця цю чи що щоб як яка які який якщо
  я як
`);

export const englishStopWords = words(`
  a about am an and are as at be been being but by can could did do does for from had has have he her hers him
  his i if in into is it its me my of on or our ours she so than that the their theirs them then there these
  they this those to too us was we were what when where which who whom why will with would you your yours
`);
