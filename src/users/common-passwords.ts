/**
 * A small bundled list of the most common passwords of 8+ characters (from public breach-frequency lists),
 * lower-cased. Shorter ones are already refused by the minimum length.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '12345678', '123456789', '1234567890', '12345678910', '123123123', '11111111', '00000000', '88888888', '87654321',
  '987654321', '0987654321', '11223344', '12341234', '1q2w3e4r', '1q2w3e4r5t', '1qaz2wsx', 'qwertyuiop', 'qwerty123',
  'qwerty12', 'qwertyui', '1qazxsw2', 'zaq12wsx', 'q1w2e3r4', 'q1w2e3r4t5', 'asdfghjkl', 'asdfasdf', 'zxcvbnm1',
  'password', 'password1', 'password12', 'password123', 'password!', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'pa$$w0rd',
  'iloveyou', 'iloveyou1', 'sunshine', 'princess', 'football', 'baseball', 'superman', 'starwars', 'trustno1',
  'whatever', 'welcome1', 'welcome123', 'letmein1', 'letmein123', 'changeme', 'changeme1', 'admin123', 'admin1234',
  'administrator', 'abc12345', 'abcd1234', 'abcdefgh', 'abcdef123', 'aa123456', 'a1234567', 'qazwsxedc', 'monkey123',
  'dragon123', 'michael1', 'jennifer', 'jordan23', 'computer', 'internet', 'mercedes', 'corvette', 'maverick',
  'liverpool', 'chelsea1', 'arsenal1', 'charlie1', 'shadow12', 'master12', 'mustang1', 'michelle', 'samantha',
  'benjamin', 'jessica1', 'matthew1', 'daniel12', 'hunter12', 'freedom1', 'pokemon1', 'babygirl', 'lovely12',
  'butterfly', 'fuckyou1', 'secret12', 'security', 'sandiego', 'football1', 'baseball1', 'hello123', 'hellokitty',
  'metadata', 'openmetadata', 'gatehouse', 'onelogin', 'test1234', 'testtest', 'test12345', 'qwer1234', 'asdf1234',
  'zxcv1234', 'summer2024', 'summer2025', 'summer2026', 'winter2025', 'winter2026', 'spring2026', 'autumn2026',
  'welcome2026', 'password2026', 'password2025', 'letmein!', 'passpass', 'loveyou1', 'ashley12', 'access14',
  'starwars1', 'batman123', 'superman1', 'trustme1', 'qwerty1234', '1234qwer', '7777777', '77777777', '99999999',
]);
