import { PageHeader } from '../components';
import { Link } from '../router';

/** Any address that is not a page of the app (the server answers 404 with the app, so this page shows). */
export function NotFound({ signedIn }: { signedIn: boolean }) {
  return (
    <>
      <PageHeader title="Page not found" intro="There is no page at this address. The link may be old, or the address mistyped." />
      <p>{signedIn ? <Link to="/profile">Go to your profile</Link> : <Link to="/signin">Go to the sign-in page</Link>}</p>
    </>
  );
}
