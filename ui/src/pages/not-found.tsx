import { PageHeader } from '../components';
import { Link } from '../router';

export function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" intro="There is no page at this address." />
      <p><Link to="/profile">Go to your profile</Link></p>
    </>
  );
}
