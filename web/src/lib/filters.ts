import { useSearchParams } from "react-router-dom";

/** A list's filters and page, kept in the address so that a link or a reload shows the same list. */
export function useFilterParams() {
  const [params, setParams] = useSearchParams();
  // A changed filter starts the list again from its first page.
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete("page");
    setParams(next, { replace: true });
  };
  const goToPage = (page: string) => {
    const next = new URLSearchParams(params);
    next.set("page", page);
    setParams(next);
  };
  return { params, setFilter, goToPage };
}
