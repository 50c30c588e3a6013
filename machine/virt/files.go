package virt

import "os"

func readFile(what, path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, configErr("%s: %v", what, err)
	}
	return b, nil
}
