import type { User } from '../../api';
import { PageHeader } from '../../components';
import { AccountCard } from './account-card';
import { SessionsCard } from './sessions-card';
import { TokensCard } from './tokens-card';

/** Who I am, where my roles come from, my sessions and my personal access tokens. */
export default function ProfilePage({ user }: { user: User }) {
  return (
    <>
      <PageHeader title={user.displayName ?? user.name} intro="Your account, where your roles come from, where you are signed in, and your tokens." />
      <AccountCard user={user} />
      <SessionsCard />
      <TokensCard />
    </>
  );
}
