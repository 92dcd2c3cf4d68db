/**
 * Text from the server that marks commands and setting names the Markdown way (`gatehouse keys retire k1`): the marked
 * parts become <code>, so nobody reads literal backticks. React escapes every part; no HTML from the server is parsed.
 */
export function CodeText({ text }: { text: string }) {
  const parts = text.split('`');
  // An odd number of backticks leaves the last one unpaired: keep it as text rather than guess.
  if (parts.length % 2 === 0) return <>{text}</>;
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}
