"""Every error maps to one documented exit code, and a DataError lists each problem with file and line."""

from rightsgraph.errors import DataError, EndpointError, Problem, RightsgraphError, UsageError


def test_exit_codes_are_the_documented_ones():
    assert (DataError([]).exit_code, UsageError("x").exit_code, EndpointError("x").exit_code,
            RightsgraphError("x").exit_code) == (1, 2, 3, 3)


def test_problems_are_sorted_unique_and_name_file_and_line():
    err = DataError([Problem("b.yaml", 2, "two"), Problem("a.yaml", 9, "nine"), Problem("b.yaml", 2, "two")])
    assert [str(p) for p in err.problems] == ["a.yaml:9: nine", "b.yaml:2: two"]
    assert str(err) == "a.yaml:9: nine (and 1 more)"
    assert str(Problem("graph", 0, "no line")) == "graph: no line"
