package nn_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReadmeExample: the README's library section shows the body of
// ExampleNetwork_Train, which go test runs and checks; the two must not
// drift apart.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	src, err := os.ReadFile("example_test.go")
	require.NoError(t, err)

	const marker = "this is the body of\n`ExampleNetwork_Train`"
	r := string(readme)
	i := strings.Index(r, marker)
	require.GreaterOrEqual(t, i, 0, "the README introduces the example")
	start := strings.Index(r[i:], "```go\n")
	require.GreaterOrEqual(t, start, 0)
	block := r[i+start+len("```go\n"):]
	block = block[:strings.Index(block, "```")]

	s := string(src)
	j := strings.Index(s, "func ExampleNetwork_Train() {\n")
	require.GreaterOrEqual(t, j, 0)
	body := s[j+len("func ExampleNetwork_Train() {\n"):]
	body = body[:strings.Index(body, "\t// Output:")]
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(body, "\n\t"), "\n") {
		lines = append(lines, strings.TrimPrefix(l, "\t"))
	}
	require.Equal(t, strings.Join(lines, "\n")+"\n", block)
}
